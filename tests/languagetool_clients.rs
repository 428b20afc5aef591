//! Real LanguageTool clients from PyPI (`language_tool_python`, `pylanguagetool`)
//! work against a running `unspun serve`: the script `tests/languagetool/clients.py`
//! drives them. Skipped, with the command that sets them up, when the virtual
//! environment `.venv` with the clients is missing.

#![cfg(feature = "server")]

mod common;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, passed or failed.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_until_serving(server: &mut Server, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            let mut stderr = String::new();
            if let Some(mut pipe) = server.0.stderr.take() {
                let _ = pipe.read_to_string(&mut stderr);
            }
            panic!("the server exited with {status}:\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not listen on port {port} within a minute");
}

#[test]
fn language_tool_python_and_pylanguagetool_read_unspun_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python3");
    let has_clients = Command::new(&python)
        .args(["-c", "import language_tool_python, pylanguagetool"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_clients {
        return common::skip(
            "the LanguageTool clients are not installed \
             (python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt)",
        );
    }
    let port = free_port();
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_unspun"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the unspun binary starts"),
    );
    wait_until_serving(&mut server, port);
    let mut command = Command::new(&python);
    command
        .arg(root.join("tests/languagetool/clients.py"))
        .arg(port.to_string());
    // The real spun article, when the shared material is beside the checkout.
    let seed = root.join("../shared/data/seed/spun-news-article.txt");
    if seed.is_file() {
        command.arg(&seed);
    } else {
        common::skip("the seed-article correct() check: ../shared not found (the rest ran)");
    }
    let output = command.output().expect("python runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "clients.py failed:\n{report}");
    eprint!("{report}");
}
