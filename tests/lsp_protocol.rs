//! `unspun lsp` over stdio, driven the way an editor drives it: initialize,
//! open a Markdown document with an emoji before an artifact, read the
//! diagnostics (UTF-16 positions), ask for code actions, change the document
//! (diagnostics again, timed), add a word to the project's allowlist (the
//! workspace's unspun.toml), shut down.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Client {
    child: std::process::Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unspun"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("unspun lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("a Content-Length header")];
            stdout.read_exact(&mut body).unwrap();
            if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its answer, skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
            self.answer_server_request(&message);
        }
    }

    /// Requests from the server (e.g. workspace/applyEdit) get an answer.
    fn answer_server_request(&mut self, message: &Value) {
        if message.get("method").is_some() && message.get("id").is_some() {
            let id = message["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    /// The next diagnostics published for `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let message = self.next();
            self.answer_server_request(&message);
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == version
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn position(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

#[test]
fn diagnostics_quick_fixes_and_the_allowlist_over_stdio() {
    let workspace = tempfile::tempdir().unwrap();
    let file = workspace.path().join("story.md");
    let text = "# Visit\n\n😀 The mayor volition visit Lisbon connected Friday.\n";
    std::fs::write(&file, text).unwrap();
    let root_uri = format!("file://{}", workspace.path().display());
    let uri = format!("file://{}", file.display());

    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root_uri,
            "capabilities": {},
            "initializationOptions": {"minConfidence": 0.3, "debounceMs": 10},
        }),
    );
    assert_eq!(init["serverInfo"]["name"], "unspun");
    assert_eq!(
        init["capabilities"]["executeCommandProvider"]["commands"][0],
        "unspun.allow"
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    let volition = diagnostics
        .iter()
        .find(|d| d["data"]["text"] == "volition")
        .expect("volition is flagged");
    // Line 2 (0-based); the emoji is two UTF-16 units: "😀 The mayor " is 13.
    assert_eq!(volition["range"]["start"], position(2, 13));
    assert_eq!(volition["range"]["end"], position(2, 21));
    assert_eq!(volition["source"], "unspun");
    assert_eq!(volition["code"], "spun-word/spun-words/volition");

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": {"start": position(2, 15), "end": position(2, 15)},
            "context": {"diagnostics": [volition]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let replace = actions
        .iter()
        .find(|a| a["title"] == "Replace “volition” with “will”")
        .expect("a quick fix with the top suggestion");
    assert_eq!(replace["isPreferred"], true);
    let edit = &replace["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "will");
    assert_eq!(edit["range"]["start"], position(2, 13));
    assert!(actions.iter().any(|a| a["title"]
        .as_str()
        .unwrap()
        .starts_with("Fix all 2 artifacts")));
    assert!(actions
        .iter()
        .any(|a| a["command"]["command"] == "unspun.allow"));

    // A change: diagnostics for the new version, soon.
    let changed = "# Visit\n\n😀 The mayor will visit Lisbon connected Friday.\n";
    let started = Instant::now();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    let took = started.elapsed();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["data"]["text"], "connected");
    assert!(
        took < Duration::from_millis(500),
        "{took:?} from didChange to diagnostics"
    );
    eprintln!("didChange -> diagnostics: {took:?}");

    // Allow "connected": into the workspace's unspun.toml, and re-checked.
    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": "unspun.allow", "arguments": ["connected"]}),
    );
    assert_eq!(answer["allowed"], "connected");
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let config = std::fs::read_to_string(workspace.path().join("unspun.toml")).unwrap();
    assert_eq!(config, "allow = [\"connected\"]\n");

    // Settings change at run time.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"unspun": {"minConfidence": 0.99}}}),
    );
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_2kb_article_is_rechecked_after_each_change_with_the_default_pause() {
    let article = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/article.txt"),
    )
    .unwrap();
    let uri = "untitled:article";
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": article}}),
    );
    client.diagnostics(uri, 1);
    let mut times = Vec::new();
    for version in 2..12 {
        let text =
            format!("{article}\nThe mayor volition visit Lisbon connected Friday {version}.\n");
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        client.diagnostics(uri, version);
        times.push(started.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "didChange -> diagnostics, {} bytes, default 20 ms pause: median {median:?}, max {:?}",
        article.len(),
        times[times.len() - 1]
    );
    // A sanity bound only: the figure is in the README.
    assert!(median < Duration::from_millis(500), "{median:?}");
}
