#!/usr/bin/env python3
"""End-to-end test of the gardkg query page in real headless Chromium (Selenium + Debian's chromedriver).

    python3 browser_test.py URL SCREENSHOT.png [--query phenotypes] [--bind disease=GARD:0012547]
        [--min-rows 1] [--expect-vars disease,phenotype,...] [--search "kettle fever"] [--expect-hit GARD:0099999]

Loads URL, waits for the canned query list, picks --query, fills its parameters from --bind, runs it with the Run
button, waits for the results table, checks the row count and the header's variables (by default the variables the
query's SELECT clause projects), runs it again with Ctrl+Enter in the editor, then searches --search and checks
that the first hit's id is --expect-hit. Throughout it checks that nothing taken from the data became live markup
(no <script>, <iframe>, <img>, on* attributes in the data areas, no alert() called), that the page made no request
outside its own origin, and that it threw no JavaScript error. The screenshot (1280x800 by default) is taken after
the query and the search; it is also written when a check fails. Prints one summary line; exit 0 on success,
1 when a check fails, 2 when the browser cannot be started.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from urllib.parse import urljoin, urlsplit

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover
    sys.exit("browser_test: selenium is not installed (pip install selenium==4.51.0)")

# Elements of the page that hold values from the server.
DATA_AREAS = ["#result-container", "#search-panel", "#queries", "#params", "#query-summary", "#error", "#query-name"]

TRAP_ALERTS = """
window.__alerts = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = function (m) { window.__alerts.push(name + ':' + String(m)); return name === 'confirm' ? false : null; };
}
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message || e)));
window.addEventListener('unhandledrejection', e => window.__errors.push('unhandled rejection: ' + String(e.reason)));
"""

LIVE_MARKUP_JS = """
const areas = arguments[0];
const found = [];
for (const sel of areas) {
  for (const root of document.querySelectorAll(sel)) {
    for (const el of root.querySelectorAll('script, iframe, object, embed, img, svg script, style, link, meta, base')) {
      found.push(sel + ' contains <' + el.tagName.toLowerCase() + '>');
    }
    for (const el of [root, ...root.querySelectorAll('*')]) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) found.push(sel + ': <' + el.tagName.toLowerCase() + ' ' + a.name + '>');
        if ((a.name === 'href' || a.name === 'src') && /^\\s*javascript:/i.test(a.value)) found.push(sel + ': javascript: URL');
      }
    }
  }
}
return found;
"""


class Failure(Exception):
    pass


def projected_vars(query: str) -> list[str]:
    """Variables a SELECT query projects (None for SELECT * or a non-SELECT query)."""
    s = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', query)
    s = re.sub(r"<[^<>\s]*>", "<>", s)
    s = re.sub(r"#[^\n]*", "", s)
    m = re.search(r"\bSELECT\b(.*?)(\bWHERE\b|\{)", s, re.I | re.S)
    if not m or "*" in m.group(1):
        return []
    clause, out, depth, start = m.group(1), [], 0, 0
    for i, ch in enumerate(clause):
        if ch == "(":
            depth += 1
            start = i if depth == 1 else start
        elif ch == ")":
            depth -= 1
            if depth == 0:
                a = re.search(r"\bAS\s+[?$](\w+)\s*$", clause[start + 1:i], re.I)
                if a:
                    out.append(a.group(1))
        elif depth == 0 and ch in "?$":
            v = re.match(r"[?$](\w+)", clause[i:])
            if v:
                out.append(v.group(1))
    return list(dict.fromkeys(out))


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="End-to-end test of the gardkg query page in headless Chromium.")
    ap.add_argument("url", help="the page, e.g. http://127.0.0.1:8765/")
    ap.add_argument("screenshot", help="where to write the PNG screenshot")
    ap.add_argument("--query", default="phenotypes", help="canned query to run (default: phenotypes)")
    ap.add_argument("--bind", action="append", default=None, metavar="NAME=VALUE",
                    help="parameter value (repeatable; default: disease=GARD:0012547)")
    ap.add_argument("--min-rows", type=int, default=1, help="least number of result rows (default: 1)")
    ap.add_argument("--expect-vars", default=None,
                    help="comma-separated variables the header must contain (default: those the query projects)")
    ap.add_argument("--search", default="kettle fever", help='search text (default: "kettle fever")')
    ap.add_argument("--expect-hit", default="GARD:0099999", help="id of the first search hit (default: GARD:0099999)")
    ap.add_argument("--no-search", action="store_true", help="skip the search step")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each step (at most 30)")
    ap.add_argument("--window", default="1280x800", help="window size WIDTHxHEIGHT (default: 1280x800)")
    ap.add_argument("--full-page", action="store_true", help="capture the whole page, not just the viewport")
    ap.add_argument("--narrow-screenshot", metavar="PNG",
                    help="also check the page at 400px wide (no sideways scrolling) and save a screenshot")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = ap.parse_args()
    args.timeout = max(1.0, min(args.timeout, 30.0))
    if args.bind is None:
        args.bind = ["disease=GARD:0012547"]
    binds = []
    for b in args.bind:
        if "=" not in b:
            ap.error(f"--bind {b!r}: expected NAME=VALUE")
        name, value = b.split("=", 1)
        binds.append((name.strip(), value))
    args.binds = binds
    m = re.fullmatch(r"(\d+)x(\d+)", args.window)
    if not m:
        ap.error("--window: expected WIDTHxHEIGHT")
    args.width, args.height = int(m.group(1)), int(m.group(2))
    return args


def start_browser(args, profile: str):
    opts = webdriver.ChromeOptions()
    opts.binary_location = args.chromium
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
                 "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US",
                 f"--user-data-dir={profile}", f"--window-size={args.width},{args.height}"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=args.chromedriver)
    driver = webdriver.Chrome(service=service, options=opts)
    set_viewport(driver, args.width, args.height)
    driver.set_page_load_timeout(args.timeout)
    driver.set_script_timeout(args.timeout)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP_ALERTS})
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


def set_viewport(driver, width: int, height: int) -> None:
    """Sizes the window so that the page itself (the viewport) is width x height."""
    driver.set_window_size(width, height)
    inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (inner_w, inner_h) != (width, height):
        driver.set_window_size(2 * width - inner_w, 2 * height - inner_h)


def screenshot(driver, path: str, full_page: bool) -> None:
    if not full_page:
        driver.save_screenshot(path)
        return
    import base64
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def wait(driver, timeout, what, condition):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
    except TimeoutException:
        raise Failure(f"timed out after {timeout:.0f} s waiting for {what}") from None


def visible_error(driver) -> str | None:
    return driver.execute_script(
        "const e = document.getElementById('error');"
        "return e && !e.hidden ? e.innerText.trim() : null;")


def check_no_live_markup(driver, where: str) -> None:
    found = driver.execute_script(LIVE_MARKUP_JS, DATA_AREAS)
    alerts = driver.execute_script("return window.__alerts || []")
    if found:
        raise Failure(f"{where}: live markup from data: {'; '.join(found[:5])}")
    if alerts:
        raise Failure(f"{where}: the page called {alerts[0]!r} (markup from data was executed)")


def run_query(driver, args) -> tuple[int, list[str]]:
    """Returns (rows, header)."""
    choice_sel = f'.query-choice[data-name="{args.query}"]'
    wait(driver, args.timeout, "the canned query list",
         lambda d: d.execute_script("return document.body.classList.contains('ready')")
         and d.find_elements(By.CSS_SELECTOR, ".query-choice, #queries-status.error-text-inline"))
    names = [b.get_attribute("data-name") for b in driver.find_elements(By.CSS_SELECTOR, ".query-choice")]
    if not names:
        status = driver.find_element(By.ID, "queries-status").text
        raise Failure(f"no canned queries listed ({status or 'empty list'})")
    if args.query not in names:
        raise Failure(f"no canned query named {args.query!r}; the page lists {', '.join(names)}")
    driver.find_element(By.CSS_SELECTOR, choice_sel).click()
    wait(driver, args.timeout, f"query {args.query!r} to be chosen",
         lambda d: d.find_element(By.CSS_SELECTOR, choice_sel).get_attribute("aria-pressed") == "true")

    for name, value in args.binds:
        inputs = driver.find_elements(By.CSS_SELECTOR, f'#param-list input[data-param="{name}"]')
        if not inputs:
            params = [i.get_attribute("data-param") for i in driver.find_elements(By.CSS_SELECTOR, "#param-list input")]
            raise Failure(f"query {args.query!r} has no parameter {name!r} (it has: {', '.join(params) or 'none'})")
        label = driver.find_elements(By.CSS_SELECTOR, f'label[for="{inputs[0].get_attribute("id")}"]')
        if not label:
            raise Failure(f"parameter {name!r} has no <label>")
        inputs[0].clear()
        inputs[0].send_keys(value)

    query_text = driver.execute_script("const cm = document.querySelector('.CodeMirror');"
                                       "return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : null;")
    if query_text is None:
        raise Failure("the SPARQL editor (YASQE/CodeMirror) is not on the page")

    driver.find_element(By.ID, "run").click()
    rows, header = wait_for_results(driver, args, "the results table")

    expected = ([v.strip().lstrip("?") for v in args.expect_vars.split(",") if v.strip()]
                if args.expect_vars else projected_vars(query_text))
    missing = [v for v in expected if v not in header]
    if missing:
        raise Failure(f"results header {header} lacks {missing}")
    if rows < args.min_rows:
        raise Failure(f"{rows} result rows, expected at least {args.min_rows}")

    # Ctrl+Enter in the editor runs the query again: one more POST /sparql.
    before = sparql_posts(driver)
    driver.find_element(By.CSS_SELECTOR, ".CodeMirror").click()
    webdriver.ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait(driver, args.timeout, "Ctrl+Enter to run the query", lambda d: sparql_posts(d) > before)
    rows2, _ = wait_for_results(driver, args, "the results after Ctrl+Enter")
    if rows2 != rows:
        raise Failure(f"Ctrl+Enter gave {rows2} rows, the Run button {rows}")
    return rows, header


def sparql_posts(driver) -> int:
    return driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => /\\/sparql(\\?|$)/.test(e.name)).length;")


def wait_for_results(driver, args, what):
    def done(d):
        err = visible_error(d)
        if err:
            return ("error", err)
        busy = d.execute_script("return !!document.getElementById('run').disabled")
        if not busy and d.find_elements(By.CSS_SELECTOR, "#results"):
            return ("ok", None)
        if not busy and d.find_elements(By.CSS_SELECTOR, "#graph-results, #ask-result"):
            return ("other", None)
        return False
    kind, err = wait(driver, args.timeout, what, done)
    if kind == "error":
        raise Failure(err.replace("\n", " | "))
    if kind == "other":
        raise Failure("the query gave a graph or a boolean, not a results table")
    header = [th.get_attribute("data-var") or th.text for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")]
    rows = len(driver.find_elements(By.CSS_SELECTOR, "#results tr.result-row"))
    return rows, header


def run_search(driver, args) -> str:
    box = driver.find_element(By.ID, "search")
    box.clear()
    box.send_keys(args.search)
    box.send_keys(Keys.ENTER)

    def done(d):
        # The page fills the list and the status line in one go; read both in one script.
        n, status = d.execute_script(
            "return [document.querySelectorAll('#search-results li.search-hit').length,"
            " document.getElementById('search-status').textContent];")
        if n:
            return ("hits", None)
        if status and not status.startswith("Searching"):
            return ("none", status)
        return False
    kind, status = wait(driver, args.timeout, f"search results for {args.search!r}", done)
    if kind == "none":
        raise Failure(f"search {args.search!r} found nothing: {status}")
    first = driver.find_element(By.CSS_SELECTOR, "#search-results li.search-hit")
    hit_id = first.find_element(By.CSS_SELECTOR, ".hit-id").text.strip()
    label = first.find_element(By.CSS_SELECTOR, ".hit-label").text.strip()
    href = first.find_element(By.CSS_SELECTOR, "a").get_attribute("href") or ""
    if "/resource?iri=" not in href:
        raise Failure(f"the first hit links to {href!r}, not /resource?iri=…")
    if args.expect_hit and hit_id != args.expect_hit:
        raise Failure(f"search {args.search!r}: first hit is {hit_id} ({label}), expected {args.expect_hit}")
    return f"{hit_id} {label!r}"


def off_origin_requests(driver, origin: str) -> list[str]:
    import json
    bad = []
    for entry in driver.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        url = msg["params"]["request"]["url"]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss", "ftp"):
            continue   # data:, blob:, and the browser's own chrome:// pages
        if f"{parts.scheme}://{parts.netloc}" != origin:
            bad.append(url)
    return bad


def check_narrow(driver, args) -> None:
    set_viewport(driver, 400, 860)
    time.sleep(0.3)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
    screenshot(driver, args.narrow_screenshot, args.full_page)
    set_viewport(driver, args.width, args.height)
    if overflow > 1:
        raise Failure(f"at 400 px wide the page scrolls sideways by {overflow} px")


def main() -> int:
    args = parse_args()
    url = args.url if urlsplit(args.url).path else urljoin(args.url, "/")
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    profile = tempfile.mkdtemp(prefix="gardkg-browser-test-")
    driver = None
    try:
        try:
            driver = start_browser(args, profile)
        except WebDriverException as e:
            print(f"FAIL: cannot start Chromium/chromedriver: {e.msg or e}".strip(), file=sys.stderr)
            return 2
        try:
            t0 = time.monotonic()
            try:
                driver.get(url)
            except TimeoutException:
                raise Failure(f"{url} did not load within {args.timeout:.0f} s") from None
            title = driver.title
            if not driver.find_elements(By.ID, "queries"):
                raise Failure(f"{url} is not the gardkg query page (title {title!r}; is the server running?)")
            rows, header = run_query(driver, args)
            check_no_live_markup(driver, "after the query")
            escaped = driver.execute_script(
                "return (document.getElementById('result-container').textContent || '').includes('<script>');")
            hit = "skipped"
            if not args.no_search:
                hit = run_search(driver, args)
                check_no_live_markup(driver, "after the search")
            errors = driver.execute_script("return window.__errors || []")
            if errors:
                raise Failure(f"JavaScript error on the page: {errors[0]}")
            time.sleep(0.4)   # let a smooth scroll settle
            screenshot(driver, args.screenshot, args.full_page)
            if args.narrow_screenshot:
                check_narrow(driver, args)
            bad = off_origin_requests(driver, origin)
            if bad:
                raise Failure(f"the page requested {len(bad)} URL(s) outside {origin}: {', '.join(bad[:3])}")
            binds = ", ".join(f"{n}={v}" for n, v in args.binds)
            print(f"PASS: {title!r} query {args.query} ({binds}): {rows} rows, vars {', '.join(header)}; "
                  f"search {args.search!r} -> {hit}; no live markup"
                  f"{' (markup in data shown as text)' if escaped else ''}; no off-origin requests; "
                  f"{time.monotonic() - t0:.1f} s; screenshot {args.screenshot}")
            return 0
        except Failure as e:
            try:
                driver.save_screenshot(args.screenshot)
                shot = f" (screenshot {args.screenshot})"
            except WebDriverException:
                shot = ""
            print(f"FAIL: {e}{shot}", file=sys.stderr)
            return 1
        except WebDriverException as e:
            print(f"FAIL: browser error: {e.msg or e}", file=sys.stderr)
            return 1
    finally:
        if driver is not None:
            try:
                driver.quit()
            except WebDriverException:
                pass
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
