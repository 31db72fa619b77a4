// gardkg query page: canned queries, a SPARQL editor (vendored YASQE), results as a table, disease search.
//
// Server contract (same origin):
//   GET  /api/queries   -> [{name, summary, params: [{name, kind: "iri"|"literal", description}], text}]
//   GET  /api/prefixes  -> {prefix: namespace}   (optional; a built-in list is used when it is missing)
//   POST /sparql        form: query=…, bind.NAME=VALUE…; SPARQL JSON results, or Turtle for CONSTRUCT/DESCRIBE;
//                       errors are non-2xx with a plain-text body
//   GET  /search?q=…&limit=20 -> {query, hits: [{iri, id, label, matched, score}]}
//
// Every value that comes from the server is put in the page with textContent or createElement, never as HTML:
// page titles and synonyms may contain markup.
(function () {
  "use strict";

  var FALLBACK_PREFIXES = {
    HP: "http://purl.obolibrary.org/obo/HP_",
    MONDO: "http://purl.obolibrary.org/obo/MONDO_",
    MAXO: "http://purl.obolibrary.org/obo/MAXO_",
    ECO: "http://purl.obolibrary.org/obo/ECO_",
    NCIT: "http://purl.obolibrary.org/obo/NCIT_",
    OMIM: "http://purl.obolibrary.org/obo/OMIM_",
    PATO: "http://purl.obolibrary.org/obo/PATO_",
    Orphanet: "http://www.orpha.net/ORDO/Orphanet_",
    GARD: "https://rarediseases.info.nih.gov/diseases/",
    UMLS: "http://identifiers.org/umls/",
    PMID: "http://www.ncbi.nlm.nih.gov/pubmed/",
    biolink: "https://w3id.org/biolink/vocab/",
    gardkg: "https://w3id.org/gardkg/",
    // Standard vocabularies, for datatypes and the editor's prefix completion.
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    xsd: "http://www.w3.org/2001/XMLSchema#",
    owl: "http://www.w3.org/2002/07/owl#",
    skos: "http://www.w3.org/2004/02/skos/core#",
    dcterms: "http://purl.org/dc/terms/"
  };
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
  var RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  var MAX_RENDERED_ROWS = 5000;
  var FETCH_TIMEOUT_MS = 120000;

  var DEFAULT_QUERY = [
    "PREFIX biolink: <https://w3id.org/biolink/vocab/>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
    "# Diseases in the graph, by name. Pick an example query on the left, or write your own.",
    "SELECT ?disease ?label",
    "WHERE {",
    "  ?disease a biolink:Disease ;",
    "      rdfs:label ?label .",
    "}",
    "ORDER BY ?label",
    "LIMIT 100",
    ""
  ].join("\n");

  var state = {
    prefixes: FALLBACK_PREFIXES,
    prefixOrder: [],          // [prefix, namespace] pairs, longest namespace first
    queries: [],
    current: null,            // the chosen canned query, or null for a query of one's own
    bindValues: {},           // values typed per parameter name, kept across queries
    running: null,            // AbortController of the query in flight
    searching: null,          // AbortController of the search in flight
    yasqe: null
  };

  // ---------------------------------------------------------------- DOM helpers (no innerHTML anywhere)

  function $(id) { return document.getElementById(id); }

  // el("a", {href: "…", className: "x", dataset: {name: "…"}}, child, "text", …)
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        var value = props[key];
        if (value === undefined || value === null) return;
        if (key === "dataset") {
          Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
        } else if (key === "className" || key === "textContent" || key === "href" || key === "id" ||
                   key === "type" || key === "title" || key === "value" || key === "htmlFor" || key === "hidden") {
          node[key] = value;
        } else {
          node.setAttribute(key, String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }

  function append(parent, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(parent, c); }); return; }
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function resourceHref(iri) { return "/resource?iri=" + encodeURIComponent(iri); }

  // ---------------------------------------------------------------- prefixes

  function setPrefixes(map) {
    var clean = {};
    Object.keys(map || {}).forEach(function (p) {
      if (typeof map[p] === "string" && map[p].length > 0) clean[p] = map[p];
    });
    if (Object.keys(clean).length === 0) clean = FALLBACK_PREFIXES;
    state.prefixes = clean;
    state.prefixOrder = Object.keys(clean)
      .map(function (p) { return [p, clean[p]]; })
      .sort(function (a, b) { return b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1); });
  }

  function compact(iri) {
    for (var i = 0; i < state.prefixOrder.length; i++) {
      var ns = state.prefixOrder[i][1];
      if (iri.length > ns.length && iri.lastIndexOf(ns, 0) === 0) {
        var local = iri.slice(ns.length);
        if (!/[\s<>"{}|^`\\]/.test(local)) return state.prefixOrder[i][0] + ":" + local;
      }
    }
    return iri;
  }

  function loadPrefixes() {
    return fetchWithTimeout("/api/prefixes", { headers: { Accept: "application/json" } }, 10000)
      .then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        return resp.json();
      })
      .then(function (json) {
        if (!json || typeof json !== "object" || Array.isArray(json)) throw new Error("not an object");
        setPrefixes(json);
      })
      .catch(function () { setPrefixes(FALLBACK_PREFIXES); });
  }

  // ---------------------------------------------------------------- network

  function fetchWithTimeout(url, options, timeoutMs, controller) {
    controller = controller || new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, timeoutMs || FETCH_TIMEOUT_MS);
    options = Object.assign({}, options, { signal: controller.signal, credentials: "same-origin" });
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  // ---------------------------------------------------------------- editor

  function initEditor() {
    var Yasqe = window.Yasqe;
    var host = $("editor");
    if (!Yasqe) {
      // The vendored editor failed to load: fall back to a plain text area with the same interface.
      var area = el("textarea", { id: "editor-fallback", className: "editor-fallback", spellcheck: "false",
                                   "aria-label": "SPARQL query" });
      area.value = DEFAULT_QUERY;
      host.appendChild(area);
      state.yasqe = {
        getValue: function () { return area.value; },
        setValue: function (v) { area.value = v; },
        getQueryType: function () { return null; },
        focus: function () { area.focus(); }
      };
      return;
    }
    // Offline: no completer that fetches remote data (classes and properties ask LOV); prefix completion uses
    // the project's prefixes instead of the prefix.cc list bundled with the editor.
    ["class", "property", "classes", "properties"].forEach(function (name) { delete Yasqe.Autocompleters[name]; });
    Yasqe.defaults.autocompleters = ["prefixes", "variables"];
    if (Yasqe.Autocompleters.prefixes) {
      Yasqe.Autocompleters.prefixes.persistenceId = undefined;
      Yasqe.Autocompleters.prefixes.get = function () {
        return Object.keys(state.prefixes).sort().map(function (p) { return p + ": <" + state.prefixes[p] + ">"; });
      };
    }
    var run = function () { runQuery(); };
    state.yasqe = new Yasqe(host, {
      value: DEFAULT_QUERY,
      autocompleters: ["prefixes", "variables"],
      prefixCcApi: null,
      persistenceId: null,           // no localStorage: the page always opens on the same query
      consumeShareLink: null,
      createShareableLink: null,
      showQueryButton: false,        // the page has its own Run button
      resizeable: true,
      editorHeight: "230px",
      requestConfig: { endpoint: "/sparql" },
      extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run }
    });
    var input = state.yasqe.getInputField && state.yasqe.getInputField();
    if (input) {
      input.setAttribute("aria-label", "SPARQL query editor (Ctrl+Enter or Cmd+Enter runs the query)");
      input.id = "editor-input";
    }
  }

  function queryType(text) {
    var fromEditor = state.yasqe && state.yasqe.getQueryType ? state.yasqe.getQueryType() : null;
    if (fromEditor && typeof fromEditor === "string") return fromEditor.toUpperCase();
    // Fallback: first query form keyword outside comments, IRIs and strings.
    var stripped = text
      .replace(/"""[\s\S]*?"""|'''[\s\S]*?'''/g, " ")
      .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/<[^<>\s]*>/g, " ")
      .replace(/#[^\n]*/g, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b/i.exec(stripped);
    return m ? m[1].toUpperCase() : "SELECT";
  }

  // ---------------------------------------------------------------- canned queries

  function fetchQueries() {
    return fetchWithTimeout("/api/queries", { headers: { Accept: "application/json" } }, 15000)
      .then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        return resp.json();
      })
      .then(function (list) {
        if (!Array.isArray(list)) throw new Error("unexpected answer");
        return list.filter(function (q) { return q && typeof q.name === "string" && typeof q.text === "string"; });
      });
  }

  function showQueries(list) {
    var status = $("queries-status");
    state.queries = list;
    renderQueryList();
    status.textContent = list.length ? "" : "No example queries.";
    status.hidden = list.length > 0;
    var wanted = decodeURIComponent((location.hash || "").replace(/^#/, ""));
    if (wanted && findQuery(wanted)) chooseQuery(wanted, { focus: false });
  }

  function showQueriesError(err) {
    var status = $("queries-status");
    status.hidden = false;
    status.textContent = "Could not load the example queries (" + err.message + ").";
    status.classList.add("error-text-inline");
  }

  function findQuery(name) {
    for (var i = 0; i < state.queries.length; i++) if (state.queries[i].name === name) return state.queries[i];
    return null;
  }

  function renderQueryList() {
    var list = $("queries");
    clear(list);
    state.queries.forEach(function (q) {
      var params = (q.params || []).map(function (p) { return p.name; });
      var button = el("button", { type: "button", className: "query-choice", dataset: { name: q.name },
                                  "aria-pressed": "false" },
        el("span", { className: "query-choice-name", textContent: q.name }),
        params.length ? el("span", { className: "query-choice-params", textContent: "(" + params.join(", ") + ")" }) : null,
        q.summary ? el("span", { className: "query-choice-summary", textContent: q.summary }) : null);
      button.addEventListener("click", function () { chooseQuery(q.name, { focus: true }); });
      list.appendChild(el("li", { className: "query-item" }, button));
    });
  }

  function chooseQuery(name, opts) {
    var q = findQuery(name);
    if (!q) return;
    state.current = q;
    state.yasqe.setValue(q.text);
    Array.prototype.forEach.call(document.querySelectorAll(".query-choice"), function (b) {
      var on = b.dataset.name === name;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("active", on);
    });
    $("query-name").textContent = "· " + q.name;
    renderParams(q.params || []);
    if (history.replaceState) history.replaceState(null, "", "#" + encodeURIComponent(name));
    if (opts && opts.focus) {
      var first = document.querySelector("#param-list input");
      if (first) first.focus(); else if (state.yasqe.focus) state.yasqe.focus();
    }
  }

  function exampleFrom(description) {
    var m = /\(e\.g\.\s*([^)]*)\)/.exec(description || "");
    if (!m) return "";
    return m[1].split(/,\s*/)[0].replace(/^"|"$/g, "");
  }

  function renderParams(params) {
    var fieldset = $("params");
    var list = $("param-list");
    clear(list);
    fieldset.hidden = params.length === 0;
    params.forEach(function (p) {
      var id = "param-" + p.name.replace(/[^A-Za-z0-9_-]/g, "_");
      var helpId = id + "-help";
      var kind = p.kind === "iri" ? "IRI" : "text";
      var example = exampleFrom(p.description);
      var input = el("input", {
        id: id, type: "text", className: "param-input", name: "bind." + p.name,
        dataset: { param: p.name, kind: p.kind || "literal" }, spellcheck: "false", autocomplete: "off",
        "aria-describedby": p.description ? helpId : null,
        placeholder: example ? "e.g. " + example : (p.kind === "iri" ? "a CURIE (GARD:0012547) or <IRI>" : "text")
      });
      input.value = state.bindValues[p.name] || "";
      input.addEventListener("input", function () { state.bindValues[p.name] = input.value; });
      list.appendChild(el("div", { className: "param" },
        el("label", { htmlFor: id, className: "param-label" },
          el("span", { className: "param-name", textContent: "?" + p.name }),
          el("span", { className: "param-kind kind-" + (p.kind === "iri" ? "iri" : "literal"), textContent: kind })),
        input,
        p.description ? el("p", { id: helpId, className: "param-help", textContent: p.description }) : null));
    });
  }

  function currentBindings() {
    var out = [];
    if ($("params").hidden) return out;
    Array.prototype.forEach.call(document.querySelectorAll("#param-list input[data-param]"), function (input) {
      var value = input.value.trim();
      if (value !== "") out.push([input.dataset.param, value]);
    });
    return out;
  }

  // ---------------------------------------------------------------- running a query

  function setStatus(text, kind) {
    var s = $("status");
    s.textContent = text || "";
    s.className = "status" + (kind ? " status-" + kind : "");
  }

  function showError(title, text) {
    $("output").hidden = true;   // stale results under an error would mislead
    $("error-title").textContent = title;
    $("error-text").textContent = text || "";
    $("error-text").hidden = !text;
    $("error").hidden = false;
  }

  function hideError() { $("error").hidden = true; }

  function runQuery() {
    var text = state.yasqe.getValue();
    if (!text.trim()) { setStatus("The query is empty.", "error"); return; }
    if (state.running) state.running.abort();
    var controller = new AbortController();
    state.running = controller;

    var type = queryType(text);
    var graph = type === "CONSTRUCT" || type === "DESCRIBE";
    var body = new URLSearchParams();
    body.append("query", text);
    currentBindings().forEach(function (b) { body.append("bind." + b[0], b[1]); });

    var started = performance.now();
    var runButton = $("run");
    runButton.disabled = true;
    runButton.setAttribute("aria-busy", "true");
    document.body.classList.add("busy");
    setStatus("Running…", "busy");
    hideError();

    fetchWithTimeout("/sparql", {
      method: "POST",
      headers: {
        "Accept": graph ? "text/turtle" : "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"
      },
      body: body.toString()
    }, FETCH_TIMEOUT_MS, controller)
      .then(function (resp) {
        return resp.text().then(function (payload) { return { resp: resp, payload: payload }; });
      })
      .then(function (r) {
        if (state.running !== controller) return;
        var resp = r.resp;
        if (!resp.ok) {
          setStatus("Failed (" + resp.status + ").", "error");
          showError("The query failed: HTTP " + resp.status + (resp.statusText ? " " + resp.statusText : ""),
                    r.payload.trim() || "(no message)");
          return;
        }
        var ctype = (resp.headers.get("Content-Type") || "").toLowerCase();
        if (!graph && ctype.indexOf("json") >= 0) {
          var json;
          try { json = JSON.parse(r.payload); } catch (e) {
            setStatus("Failed.", "error");
            showError("The server's answer is not valid JSON", String(e.message));
            return;
          }
          renderJsonResults(json, started);
        } else {
          renderText(r.payload, ctype, started);
        }
      })
      .catch(function (err) {
        if (state.running !== controller) return;   // replaced by a newer run
        var timedOut = err && err.name === "AbortError";
        setStatus("Failed.", "error");
        showError(timedOut ? "The query timed out" : "Could not reach the server", timedOut ? "" : String(err.message || err));
      })
      .finally(function () {
        if (state.running !== controller) return;
        state.running = null;
        runButton.disabled = false;
        runButton.removeAttribute("aria-busy");
        document.body.classList.remove("busy");
      });
  }

  function formatMs(ms) {
    return ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s";
  }

  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }

  function showOutput(node, meta) {
    var container = $("result-container");
    clear(container);
    container.appendChild(node);
    $("result-meta").textContent = meta;
    var output = $("output");
    output.hidden = false;
    revealIfHidden(output);
  }

  // Scrolls a freshly filled area into view when it starts below the fold (narrow screens, long editors).
  function revealIfHidden(node) {
    var rect = node.getBoundingClientRect();
    if (rect.top > window.innerHeight - 120 || rect.bottom < 0) {
      node.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  function renderJsonResults(json, started) {
    if (json && typeof json.boolean === "boolean") {
      var ms = performance.now() - started;
      showOutput(el("p", { id: "ask-result", className: "ask-result ask-" + json.boolean,
                           textContent: json.boolean ? "true" : "false" }), "ASK · " + formatMs(ms));
      setStatus("Done in " + formatMs(ms) + ".", "ok");
      return;
    }
    if (!json || !json.head || !json.results || !Array.isArray(json.results.bindings)) {
      setStatus("Failed.", "error");
      showError("The server's answer is not SPARQL JSON results", "");
      return;
    }
    var vars = Array.isArray(json.head.vars) ? json.head.vars.slice() : [];
    var rows = json.results.bindings;
    if (vars.length === 0 && rows.length) {   // tolerate answers without head.vars
      var seen = {};
      rows.forEach(function (row) { Object.keys(row).forEach(function (v) { if (!seen[v]) { seen[v] = 1; vars.push(v); } }); });
    }
    var table = el("table", { id: "results", className: "results" });
    table.appendChild(el("caption", { className: "visually-hidden", textContent: "Query results" }));
    var headRow = el("tr");
    vars.forEach(function (v) { headRow.appendChild(el("th", { scope: "col", dataset: { var: v }, textContent: v })); });
    table.appendChild(el("thead", null, headRow));
    var tbody = el("tbody");
    var shown = Math.min(rows.length, MAX_RENDERED_ROWS);
    for (var i = 0; i < shown; i++) {
      var tr = el("tr", { className: "result-row" });
      for (var j = 0; j < vars.length; j++) {
        var term = rows[i][vars[j]];
        var td = el("td", term ? { className: "term-" + term.type } : { className: "unbound" });
        if (term && term.type === "literal" && String(term.value).length <= 16) td.classList.add("short");
        if (term) td.appendChild(renderTerm(term));
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);

    var wrap = el("div", { className: "table-wrap", tabindex: "0", role: "region", "aria-label": "Query results table" }, table);
    var nodes = [wrap];
    if (rows.length === 0) nodes.unshift(el("p", { className: "empty", textContent: "No results." }));
    if (rows.length > shown) {
      nodes.unshift(el("p", { className: "notice",
        textContent: "Showing the first " + shown.toLocaleString("en") + " of " + rows.length.toLocaleString("en") +
          " rows. Add a LIMIT or a filter to see the rest." }));
    }
    var ms = performance.now() - started;
    var meta = plural(rows.length, "row") + " · " + formatMs(ms);
    showOutput(el("div", null, nodes), meta);
    setStatus(meta + ".", "ok");
  }

  function renderText(text, ctype, started) {
    var ms = performance.now() - started;
    var lines = text ? text.split("\n").filter(function (l) { return l.trim() !== ""; }).length : 0;
    var pre = el("pre", { id: "graph-results", className: "graph-results", tabindex: "0", textContent: text || "" });
    var what = ctype.indexOf("turtle") >= 0 ? "Turtle" : (ctype.split(";")[0] || "text");
    var meta = what + " · " + plural(lines, "line") + " · " + formatMs(ms);
    showOutput(text ? pre : el("p", { className: "empty", textContent: "Empty graph." }), meta);
    setStatus(meta + ".", "ok");
  }

  // An RDF term of SPARQL JSON results as a node.
  function renderTerm(term) {
    var value = term.value == null ? "" : String(term.value);
    switch (term.type) {
      case "uri":
        return iriLink(value);
      case "bnode":
        return el("span", { className: "bnode", textContent: "_:" + value });
      case "triple":
        var t = term.value || {};
        return el("span", { className: "quoted-triple" }, "<< ",
          t.subject ? renderTerm(t.subject) : "?", " ", t.predicate ? renderTerm(t.predicate) : "?", " ",
          t.object ? renderTerm(t.object) : "?", " >>");
      default: {
        var lang = term["xml:lang"];
        var dt = term.datatype;
        if (!lang && (!dt || dt === XSD_STRING) && isIriList(value)) return iriList(value);
        var span = el("span", { className: "literal" }, el("span", { className: "lex", textContent: value }));
        if (lang) {
          span.appendChild(el("span", { className: "lang", textContent: "@" + lang, title: "language" }));
        } else if (dt && dt !== XSD_STRING && dt !== RDF_LANGSTRING) {
          span.appendChild(el("span", { className: "datatype", textContent: compact(dt), title: dt }));
          if (/#boolean$/.test(dt)) span.classList.add("bool", "bool-" + value);
          if (/#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/.test(dt)) span.classList.add("number");
        }
        return span;
      }
    }
  }

  function iriLink(iri) {
    var shown = compact(iri);
    return el("a", { className: "iri" + (shown === iri ? " iri-full" : ""), href: resourceHref(iri), title: iri, textContent: shown });
  }

  // GROUP_CONCAT of IRIs ("http://… http://…") is shown as a list of links.
  function isIriList(value) {
    if (value.length === 0 || value.length > 20000) return false;
    var parts = value.trim().split(/\s+/);
    return parts.length > 0 && parts.every(function (p) { return /^https?:\/\/[^\s<>"{}|\\^`]+$/.test(p); });
  }

  function iriList(value) {
    var span = el("span", { className: "iri-list" });
    value.trim().split(/\s+/).forEach(function (iri, i) {
      if (i > 0) span.appendChild(document.createTextNode(" "));
      span.appendChild(iriLink(iri));
    });
    return span;
  }

  // ---------------------------------------------------------------- search

  function runSearch(q) {
    var panel = $("search-panel");
    var list = $("search-results");
    var status = $("search-status");
    panel.hidden = false;
    status.classList.remove("error-text-inline");
    status.textContent = "Searching…";
    clear(list);
    if (state.searching) state.searching.abort();
    var controller = new AbortController();
    state.searching = controller;
    fetchWithTimeout("/search?q=" + encodeURIComponent(q) + "&limit=20", { headers: { Accept: "application/json" } }, 30000, controller)
      .then(function (resp) {
        if (!resp.ok) return resp.text().then(function (t) { throw new Error("HTTP " + resp.status + (t ? ": " + t.trim() : "")); });
        return resp.json();
      })
      .then(function (json) {
        if (state.searching !== controller) return;
        var hits = json && Array.isArray(json.hits) ? json.hits : [];
        clear(list);
        hits.forEach(function (h) { list.appendChild(renderHit(h)); });
        revealIfHidden(panel);
        status.textContent = hits.length ? hits.length + (hits.length === 1 ? " match" : " matches") + " for “" + q + "”"
                                         : "No disease matches “" + q + "”.";
      })
      .catch(function (err) {
        if (state.searching !== controller) return;
        status.textContent = "Search failed: " + (err.name === "AbortError" ? "timed out" : err.message);
        status.classList.add("error-text-inline");
      })
      .finally(function () { if (state.searching === controller) state.searching = null; });
  }

  function renderHit(h) {
    var iri = String(h.iri || "");
    var label = h.label != null ? String(h.label) : (h.id || iri);
    var id = h.id != null ? String(h.id) : compact(iri);
    var matched = h.matched != null ? String(h.matched) : "";
    var li = el("li", { className: "search-hit", dataset: { id: id } },
      el("a", { className: "hit-link", href: resourceHref(iri), title: iri },
        el("span", { className: "hit-label", textContent: label }),
        el("span", { className: "hit-id", textContent: id })),
      matched && matched !== label
        ? el("span", { className: "hit-matched" }, "matched ", el("q", { textContent: matched }))
        : null);
    var target = findQuery("phenotypes");
    if (target && (target.params || []).some(function (p) { return p.name === "disease"; })) {
      var btn = el("button", { type: "button", className: "hit-action", textContent: "Phenotypes",
                               "aria-label": "Load the phenotypes query for " + label });
      btn.addEventListener("click", function () {
        state.bindValues.disease = id;
        chooseQuery("phenotypes", { focus: false });
        runQuery();
      });
      li.appendChild(btn);
    }
    return li;
  }

  // ---------------------------------------------------------------- wiring

  function wire() {
    $("query-form").addEventListener("submit", function (e) { e.preventDefault(); runQuery(); });
    $("search-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var q = $("search").value.trim();
      if (q) runSearch(q);
    });
    $("search-close").addEventListener("click", function () {
      $("search-panel").hidden = true;
      $("search").focus();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
      if (e.target && e.target.closest && e.target.closest("#search-form")) return;
      if (e.target && e.target.closest && e.target.closest(".CodeMirror")) return;   // handled by the editor
      e.preventDefault();
      runQuery();
    });
  }

  function start() {
    setPrefixes(FALLBACK_PREFIXES);
    wire();
    var queries = fetchQueries();
    queries.catch(function () {});   // handled below, once the editor exists
    // The editor is built once the prefixes are known, so its prefix completion offers the server's list.
    loadPrefixes()
      .then(initEditor)
      .then(function () { return queries.then(showQueries, showQueriesError); })
      .then(function () { document.body.classList.add("ready"); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
