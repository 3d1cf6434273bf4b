//! `dslint server` end to end: the real binary, spoken to over stdio with JSON-RPC and LSP's
//! `Content-Length` framing: initialize → initialized → didOpen → publishDiagnostics (DS101
//! at the range `--format json` gives, in UTF-16 columns) → codeAction (a fix and an ignore
//! comment, as edits) → a malformed message (survived) → didChange → updated diagnostics →
//! shutdown → exit with code 0. Every wait has a timeout, and the server is killed if the
//! test fails, so the test cannot hang.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any single answer may take (debug build on a loaded machine).
const WAIT: Duration = Duration::from_secs(30);

/// A fake DeepSeek-style key (generated, never a real one), assembled at run time.
fn fake_key() -> String {
    let hex: String = (0..32u32)
        .map(|i| char::from_digit((i * 7 + 3) % 16, 16).unwrap_or('0'))
        .collect();
    format!("sk-{hex}")
}

/// The server process; killed on drop, so a failing test never leaves it running.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    from_server: Receiver<Value>,
    /// Everything the server sent, as text (checked for keys at the end).
    seen: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(out: &mut impl BufRead) -> Option<String> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    out.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dslint"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dslint server starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(text) = read_message(&mut out) {
                let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            from_server: rx,
            seen: Vec::new(),
        }
    }

    fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, msg: Value) {
        let mut msg = msg;
        msg["jsonrpc"] = json!("2.0");
        self.send_raw(&msg.to_string());
    }

    /// The first message from the server for which `want` holds (others are skipped).
    fn wait_for(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from_server.recv_timeout(left) {
                Ok(v) => {
                    self.seen.push(v.to_string());
                    if want(&v) {
                        return v;
                    }
                }
                Err(_) => panic!("timed out waiting for {what}; saw {:#?}", self.seen),
            }
        }
    }

    fn response(&mut self, id: u64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |v| {
            v["id"] == json!(id) && v.get("method").is_none()
        })
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let v = self.wait_for(&format!("diagnostics of version {version}"), |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && v["params"]["version"] == json!(version)
        });
        v["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// `(line, character)` pairs of a diagnostic's range.
fn range_of(d: &Value) -> [(u64, u64); 2] {
    let p = |k: &str| {
        (
            d["range"][k]["line"].as_u64().expect("line"),
            d["range"][k]["character"].as_u64().expect("character"),
        )
    };
    [p("start"), p("end")]
}

/// The DS101 range `dslint --format json --stdin-filename app.py` reports for `text`, as LSP
/// would count it (0-based lines, UTF-16 columns).
fn cli_range(dir: &std::path::Path, text: &str) -> [(u64, u64); 2] {
    let mut child = common::bin()
        .args(["--format", "json", "--stdin-filename", "app.py"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("dslint runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("dslint ends");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let f = &doc["findings"][0];
    assert_eq!(f["code"], "DS101", "{doc}");
    let p = |k: &str| {
        (
            f[k]["line"].as_u64().expect("line") - 1,
            f[k]["column_utf16"].as_u64().expect("column") - 1,
        )
    };
    [p("start"), p("end")]
}

#[test]
fn server_publishes_diagnostics_and_code_actions_then_exits_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().canonicalize().expect("canonical temp dir");
    let key = fake_key();
    // The emoji takes 4 UTF-8 bytes and 2 UTF-16 units: columns must count the latter.
    let text = format!("import os\nheaders = {{\"😀\": \"{key}\"}}\n");
    std::fs::write(root.join("app.py"), "import os\n").expect("write app.py");
    let root_uri = format!("file://{}", root.display());
    let uri = format!("{root_uri}/app.py");

    let mut server = Server::start(&root);
    server.send(json!({
        "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": root_uri, "capabilities": {} }
    }));
    let init = server.response(1);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["hoverProvider"], true, "{init}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true, "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "dslint");
    server.send(json!({ "method": "initialized", "params": {} }));

    server.send(json!({
        "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": uri, "languageId": "python", "version": 1, "text": text } }
    }));
    let diags = server.diagnostics(&uri, 1);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert_eq!(d["code"], "DS101");
    assert_eq!(d["source"], "dslint");
    assert_eq!(d["severity"], 1);
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("rules/DS101-hardcoded-api-key.toml")),
        "{d}"
    );
    // `headers = {"😀": "` is 18 UTF-16 units (the emoji counts 2); the key is 35 long.
    assert_eq!(range_of(d), cli_range(&root, &text));
    assert_eq!(range_of(d), [(1, 18), (1, 53)]);

    server.send(json!({
        "id": 2, "method": "textDocument/codeAction",
        "params": {
            "textDocument": { "uri": uri },
            "range": d["range"],
            "context": { "diagnostics": [d] }
        }
    }));
    let actions = server.response(2);
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actions.len(), 2, "{titles:?}");
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix.unsafe", "{fix}");
    assert!(titles[0].starts_with("DS101: ") && titles[0].ends_with(" (unsafe)"));
    let fix_edits = fix["edit"]["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!fix_edits.is_empty(), "{fix}");
    let ignore = &actions[1];
    assert_eq!(ignore["kind"], "quickfix");
    assert_eq!(
        ignore["edit"]["changes"][&uri],
        json!([{
            "range": { "start": { "line": 1, "character": 55 }, "end": { "line": 1, "character": 55 } },
            "newText": "  # dslint: ignore[DS101]"
        }])
    );

    // A message that is not JSON-RPC is skipped, not fatal.
    server.send_raw("{this is not json");

    // The key moves down a line: new diagnostics for version 2, from the in-memory text.
    let changed = format!("import os\n\n{}", &text["import os\n".len()..]);
    server.send(json!({
        "method": "textDocument/didChange",
        "params": {
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "text": changed }]
        }
    }));
    let diags = server.diagnostics(&uri, 2);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(range_of(&diags[0]), [(2, 18), (2, 53)]);

    server.send(json!({ "id": 3, "method": "shutdown" }));
    let bye = server.response(3);
    assert_eq!(bye["result"], Value::Null, "{bye}");
    server.send(json!({ "method": "exit" }));
    drop(server.stdin.take());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    for msg in &server.seen {
        assert!(!msg.contains(&key), "the server sent the key: {msg}");
    }
}
