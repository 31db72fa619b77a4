//! Hostile and broken input, one table: every case runs the real binary against a store holding the example page,
//! and asserts its outcome (exit status and a message or a warning), that nothing raw reaches the terminal, and
//! that the store is unchanged (its sorted N-Quads compared before and after). Cases that succeed use `--memory`
//! or only read, so the store never changes. Every input is written here, for the project.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{example, run};

/// The pages and files the cases use, written into `dir`.
struct Inputs {
    dir: PathBuf,
}

impl Inputs {
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

/// A GARD text page of an imaginary disease.
fn page(title: &str, body: &str) -> String {
    format!("{title}\n\nOther Names:\nKTF\n\n{body}\nLast updated: 03/14/2021\n")
}

const BODY: &str = "Kettle fever is an imaginary disorder with fever and seizures.[1]\n\nReferences\n\
                    1. Doe J. Kettle fever. J Imag Dis. 2020;1:1-2.\n";

/// What a case must do.
#[derive(Clone, Copy)]
enum Expect {
    /// Exit 0; standard output or error contains the text.
    Ok(&'static str),
    /// Exit 1; standard error contains the text, once.
    Fails(&'static str),
}

struct Case {
    name: &'static str,
    args: Vec<String>,
    expect: Expect,
}

fn case(name: &'static str, args: &[&str], expect: Expect) -> Case {
    Case { name, args: args.iter().map(|a| (*a).to_owned()).collect(), expect }
}

fn medquad(id: &str, gard: u32, focus: &str, answer: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document id=\"{id}\" source=\"GARD\" \
         url=\"https://rarediseases.info.nih.gov/gard/{gard}/x\">\n<Focus>{focus}</Focus>\n<QAPairs>\n<QAPair pid=\"1\">\n\
         <Question qid=\"{id}-1\" qtype=\"information\">What is (are) {focus} ?</Question>\n<Answer>{answer}</Answer>\n\
         </QAPair>\n</QAPairs>\n</Document>\n"
    )
}

#[allow(clippy::too_many_lines, reason = "one table of cases")]
fn cases(inputs: &Inputs, store: &Path) -> Vec<Case> {
    let w = |name: &str, bytes: &[u8]| inputs.write(name, bytes);
    let empty = w("pages/99101-empty.txt", b"");
    let binary = w("pages/99102-binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let good_xml = medquad("0099103", 99103, "Kettle fever", "Kettle fever is an imaginary disorder.");
    let truncated = w("pages/0099103.xml", &good_xml.as_bytes()[..good_xml.len() / 2]);
    let malformed = w("pages/0099104.xml", good_xml.replace("</Focus>", "</Fokus>").as_bytes());
    let latin1 = w("pages/99105-latin1.txt", b"Kettle fever\n\nCaf\xe9 fever is imaginary.\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(page("Kettle fever", BODY).encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = w("pages/99106-utf16.txt", &utf16);
    let bom = w("pages/99107-bom.txt", format!("\u{feff}{}", page("Kettle fever", BODY)).as_bytes());
    let crlf = w("pages/99108-crlf.txt", page("Kettle fever", BODY).replace('\n', "\r\n").as_bytes());
    let controls =
        w("pages/99109-controls.txt", page("Kettle\u{1b}[31m fever\u{202e}\u{7} \u{200b}syndrome", BODY).as_bytes());
    let laughs = w(
        "pages/0099110.xml",
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [\n<!ENTITY a \"lol\">\n{}]>\n{}",
            (b'b'..=b'j').fold(String::new(), |mut out, c| {
                let prev = char::from(c - 1);
                let _ = writeln!(out, "<!ENTITY {} \"{}\">", char::from(c), format!("&{prev};").repeat(10));
                out
            }),
            medquad("0099110", 99110, "Kettle fever &j;", "Kettle fever &j; is imaginary.").split_once('\n').unwrap().1
        )
        .as_bytes(),
    );
    let secret = w("secret.txt", b"TOP-SECRET-LINE\n");
    let xxe = w(
        "pages/0099111.xml",
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file://{secret}\">]>\n{}",
            medquad("0099111", 99111, "Kettle fever", "Kettle fever &xxe; is imaginary.").split_once('\n').unwrap().1
        )
        .as_bytes(),
    );
    let no_title = w("pages/99112-no-title.txt", b"\n\n\n   \nOther Names:\n");
    let dup_a = w("dup/99113-kettle-fever.txt", page("Kettle fever", BODY).as_bytes());
    let dup_b = w("dup/99113-kettle-fever-copy.txt", page("Kettle fever", BODY).as_bytes());
    let obo = w("pages/tiny.obo", b"format-version: 1.2\nontology: tiny\n\n[Term]\nid: TINY:1\nname: root\n");
    let owl = w(
        "pages/tiny.owl",
        b"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
          xmlns:owl=\"http://www.w3.org/2002/07/owl#\">\n<owl:Ontology rdf:about=\"http://example.org/tiny\"/>\n</rdf:RDF>\n",
    );
    let ttl = w("pages/tiny.ttl", b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n");
    let broken_refs = w(
        "pages/99114-broken-refs.txt",
        page("Kettle fever", "Kettle fever is imaginary.[7]\n\nReferences\n1. garbled ;;; 19\n").as_bytes(),
    );
    // A folder with a symbolic link loop and a good page.
    let loop_dir = inputs.path("loop");
    w("loop/99115-kettle-fever.txt", page("Kettle fever", BODY).as_bytes());
    let _ = std::os::unix::fs::symlink("b.txt", inputs.dir.join("loop/a.txt"));
    let _ = std::os::unix::fs::symlink("a.txt", inputs.dir.join("loop/b.txt"));
    let newline = w("names/99116-kettle\nfever.txt", page("Kettle fever", BODY).as_bytes());
    let cyrillic_a = w("cyr/a.txt", page("Болезнь чайника", BODY).as_bytes());
    let cyrillic_b = w("cyr/b.txt", page("Лихорадка чайника", BODY).as_bytes());
    // 200 MB on disk (sparse): refused from its size, before a byte is read.
    let huge = inputs.path("pages/99117-huge.txt");
    std::fs::File::create(&huge).unwrap().set_len(200 * 1024 * 1024).unwrap();
    let small_cap = w("pages/99118-kettle-fever.txt", page("Kettle fever", BODY).as_bytes());
    let store_file = w("store-is-a-file", b"not a store");
    let garbage = inputs.path("garbage-store");
    w("garbage-store/CURRENT", b"MANIFEST-garbage\n");
    w("garbage-store/OPTIONS-000001", b"\0\0garbage");
    let deep = w("deep.rq", format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(5_000), "}".repeat(5_000)).as_bytes());
    let union: Vec<String> = (0..5_000).map(|i| format!("{{ ?s <http://example.org/p{i}> ?o }}")).collect();
    let union = w("union.rq", format!("SELECT * WHERE {{ {} }}", union.join(" UNION ")).as_bytes());
    let example = example().to_string_lossy().into_owned();
    let store_arg = store.to_string_lossy().into_owned();
    let mem = |path: &str| vec!["ingest".to_owned(), "--memory".to_owned(), path.to_owned()];
    let mut all = vec![
        case("empty file", &["ingest", &empty], Expect::Fails("the input is empty")),
        case("binary file", &["ingest", &binary], Expect::Fails("the input is binary, not a page")),
        case("truncated XML", &["ingest", &truncated], Expect::Fails("0099103.xml: line")),
        case("malformed XML", &["ingest", &malformed], Expect::Fails("0099104.xml: line")),
        case("Latin-1", &["ingest", &latin1], Expect::Fails("line 3: the input is not valid UTF-8 (byte 17)")),
        case("UTF-16 with BOM", &["ingest", &utf16], Expect::Fails("the input is UTF-16;")),
        case("UTF-8 with BOM", &["ingest", "--memory", &bom], Expect::Ok("1 added")),
        case("CRLF line ends", &["ingest", "--memory", &crlf], Expect::Ok("1 added")),
        case(
            "control, ANSI and bidi characters in a title",
            &["ingest", "--memory", &controls],
            Expect::Ok("syndrome"),
        ),
        case("billion laughs", &["ingest", &laughs], Expect::Fails("0099110.xml")),
        case("external entity (XXE)", &["ingest", &xxe], Expect::Fails("0099111.xml")),
        case("no title", &["ingest", &no_title], Expect::Fails("the page has no title")),
        case("duplicate pages", &["ingest", &dup_a, &dup_b], Expect::Fails("are the same page (gard/0099113)")),
        case(
            "one --gard-id for two pages",
            &["ingest", "--gard-id", "7", &dup_a, &example],
            Expect::Fails("--gard-id names one page, but 2 inputs"),
        ),
        case(
            "OBO file",
            &["ingest", &obo],
            Expect::Fails("not a disease page: load it beside the pages with `gardkg ontology load"),
        ),
        case("OWL file", &["ingest", &owl], Expect::Fails("`gardkg ontology load")),
        case("Turtle file", &["ingest", &ttl], Expect::Fails("`gardkg ontology load")),
        case("broken references", &["ingest", "--memory", &broken_refs], Expect::Ok("dangling-citation")),
        case(
            "folder with a symbolic link loop",
            &["ingest", "--memory", &loop_dir],
            Expect::Ok("a.txt: a symbolic link loop, skipped"),
        ),
        case("file name with a newline", &["ingest", "--memory", &newline], Expect::Ok("1 added")),
        case(
            "two titles without ASCII letters",
            &["ingest", "--memory", &cyrillic_a, &cyrillic_b],
            Expect::Ok("2 added"),
        ),
        case(
            "200 MB local file",
            &["ingest", &huge],
            Expect::Fails("the file is 209715200 bytes, more than the 10485760-byte limit"),
        ),
        case(
            "file over --max-bytes",
            &["ingest", "--max-bytes", "100", &small_cap],
            Expect::Fails("more than the 100-byte limit (raise it with --max-bytes)"),
        ),
        case(
            "missing file",
            &["ingest", "/nonexistent/99119-x.txt"],
            Expect::Fails("/nonexistent/99119-x.txt: No such file or directory"),
        ),
        case(
            "--store is a file",
            &["stats", "--store", &store_file],
            Expect::Fails("this is a file, not a store directory"),
        ),
        case(
            "ingest into a --store that is a file",
            &["ingest", "--store", &store_file, &example],
            Expect::Fails("is not a directory"),
        ),
        case("garbage store directory", &["stats", "--store", &garbage], Expect::Fails("cannot open the store at")),
        case(
            "ingest -o into a missing folder",
            &["ingest", "-o", "/nonexistent/dir/out.ttl", &example],
            Expect::Fails("cannot create /nonexistent/dir/out.ttl"),
        ),
        case(
            "ingest -o with an unknown extension",
            &["ingest", "-o", &inputs.path("out.xyz"), &example],
            Expect::Fails("cannot tell the RDF format from"),
        ),
        case(
            "URL on a private address",
            &["ingest", "http://10.0.0.1/gard/1/x"],
            Expect::Fails("10.0.0.1 is a private address, refused by default"),
        ),
        case(
            "URL on link-local metadata",
            &["ingest", "http://169.254.169.254/latest/"],
            Expect::Fails("a link-local address"),
        ),
        case(
            "URL named localhost",
            &["ingest", "--timeout", "5", "http://localhost:9/x"],
            Expect::Fails("localhost resolves to"),
        ),
        case("ftp URL", &["ingest", "ftp://example.org/x.txt"], Expect::Fails("No such file")),
        case(
            "5,000 nested groups",
            &["query", "-f", &deep],
            Expect::Fails("the query nests more than 1000 levels deep"),
        ),
        case(
            "5,000-branch UNION",
            &["query", "-f", &union],
            Expect::Fails("the query nests more than 1000 levels deep"),
        ),
        case(
            "an update given as a query",
            &["query", "DELETE WHERE { ?s ?p ?o }"],
            Expect::Fails("this is a SPARQL Update, not a query"),
        ),
    ];
    all.push(Case { name: "ingest --memory of a page", args: mem(&example), expect: Expect::Ok("1 added") });
    for c in &mut all {
        if !c.args.iter().any(|a| a == "--store" || a == "--memory") {
            c.args.extend(["--store".to_owned(), store_arg.clone()]);
        }
    }
    all
}

#[test]
fn hostile_inputs_get_a_clear_answer_and_leave_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    assert!(run(&store, &["ingest", "-q", example().to_str().unwrap()]).0);
    let before = common::canonical(&store);
    let inputs = Inputs { dir: dir.path().join("inputs") };
    let cases = cases(&inputs, &store);
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let out = common::gardkg(&store).args(&c.args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let both = format!("{stdout}{stderr}");
        let problem = match c.expect {
            Expect::Ok(_) if !out.status.success() => Some(format!("failed: {stderr}")),
            Expect::Ok(text) if !both.contains(text) => Some(format!("no {text:?} in {both}")),
            Expect::Fails(_) if out.status.code() != Some(1) => Some(format!("exit {:?}: {both}", out.status.code())),
            Expect::Fails(text) if !stderr.contains(text) => Some(format!("no {text:?} in {stderr}")),
            // Said once: an error's causes are not repeated.
            Expect::Fails(text) if stderr.matches(text).count() != 1 => Some(format!("{text:?} repeated: {stderr}")),
            _ => None,
        };
        if let Some(problem) = problem {
            failures.push(format!("{}: {problem}", c.name));
        }
        // Nothing raw reaches a terminal: no escape, bidi or bell character, and nothing outside the input read.
        if both.contains(['\u{1b}', '\u{202e}', '\u{7}', '\u{200b}']) {
            failures.push(format!("{}: a control character was printed", c.name));
        }
        if both.contains("TOP-SECRET-LINE") {
            failures.push(format!("{}: a file outside the input was read", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(common::canonical(&store), before, "a hostile input changed the store");
}

/// An external entity is never resolved, even where the page is accepted: the secret is in no output.
#[test]
fn external_entities_are_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = Inputs { dir: dir.path().to_owned() };
    let secret = inputs.write("secret.txt", "TOP-SECRET-LINE\n");
    let xml = medquad("0099111", 99111, "Kettle fever", "Kettle fever is imaginary.").replacen(
        '\n',
        &format!("\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file://{secret}\">]>\n"),
        1,
    );
    let page = inputs.write("0099111.xml", xml.replace("is imaginary", "is &xxe; imaginary"));
    let out = inputs.path("out.nt");
    let (_, stdout, stderr) = run(dir.path(), &["ingest", "--memory", "-o", &out, &page]);
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(!format!("{stdout}{stderr}{written}").contains("TOP-SECRET"), "{stderr}");
}

/// `stats`, `query --list` and a query stop quietly when their reader goes away.
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["query", "--list"],
        &["query", "--results", "tsv", "SELECT * { ?s ?p ?o }"],
        &["export", "--format", "nt"],
    ] {
        let mut child = process(&store).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Close the reading end before gardkg writes a byte.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("error"), "{args:?}: {stderr}");
    }
}

/// `export -o` writes beside the target and renames: killed half-way, the target is untouched; finished, whole.
#[test]
fn an_interrupted_export_leaves_the_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::new_store(dir.path());
    let target = dir.path().join("out.nt");
    std::fs::write(&target, "OLD\n").unwrap();
    let mut child = process(&store)
        .args(["export", "--format", "nt", "--streaming", "-o"])
        .arg(&target)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as its temporary file exists (the ontologies take seconds to write).
    let started = std::time::Instant::now();
    while !temporary_exists(dir.path()) && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "OLD\n");
    // A failing export (a graph the store lacks) leaves it too; a finished one replaces it whole.
    let (ok, _, _) = run(&store, &["export", "--graph", "GARD:0000001", "-o", target.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "OLD\n");
    let (ok, _, err) = run(&store, &["export", "--format", "nt", "-o", target.to_str().unwrap()]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.ends_with(" .\n") && text.lines().count() > 100_000, "{} lines", text.lines().count());
}

fn temporary_exists(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| e.file_name().to_string_lossy().starts_with(".gardkg-"))
}

/// The binary as a plain process (to close its pipes or kill it), with its store.
fn process(store: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gardkg"));
    cmd.env("GARDKG_STORE", store);
    cmd
}
