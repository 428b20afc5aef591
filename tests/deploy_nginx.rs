//! The sample deployment works: `deploy/nginx-unspun.conf` (TLS, X-Real-IP)
//! in front of `unspun serve` started with the flags of `deploy/unspun.service`.
//! Keys, per-key rate limits, the CORS policy and request ids are checked
//! through the proxy with curl, as a client would reach the service.
//!
//! Needs nginx, openssl and curl (Debian packages; `.ci/run` installs nginx).

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CMS_KEY: &str = "cms-0b6f2d9e4a1c8735";
const EDITORS_KEY: &str = "ed-7e3a9c1f5d2b8064";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn found(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listened on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The arguments after `unspun` in the unit's `ExecStart`, continuation lines
/// joined, with the key file and port of this test.
fn unit_arguments(root: &Path, keys: &Path, port: u16) -> Vec<String> {
    let unit = std::fs::read_to_string(root.join("deploy/unspun.service")).unwrap();
    let joined = unit.replace("\\\n", " ");
    let exec = joined
        .lines()
        .find_map(|line| line.strip_prefix("ExecStart="))
        .expect("the unit has ExecStart");
    let mut words = exec.split_whitespace().map(|word| {
        word.replace("${CREDENTIALS_DIRECTORY}/keys", keys.to_str().unwrap())
            .replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"))
    });
    assert_eq!(words.next().as_deref(), Some("/usr/local/bin/unspun"));
    words.collect()
}

/// A response as curl saw it: status, headers (lower-case names), body.
struct Seen {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn curl(url: &str, args: &[&str]) -> Seen {
    let output = Command::new("curl")
        .args(["-sk", "-i", "--max-time", "20"])
        .args(args)
        .arg(url)
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line from curl: {text}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Seen {
        status,
        headers,
        body: body.to_owned(),
    }
}

#[test]
fn the_sample_nginx_site_and_unit_flags_serve_keys_limits_and_request_ids() {
    for program in ["nginx", "openssl", "curl"] {
        if !found(program) {
            return common::skip(&format!(
                "{program} is not installed (apt-get install nginx openssl curl)"
            ));
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    std::fs::write(&keys, format!("cms {CMS_KEY}\neditors {EDITORS_KEY}\n")).unwrap();

    let unspun_port = free_port();
    let _unspun = Killed(
        Command::new(env!("CARGO_BIN_EXE_unspun"))
            .args(unit_arguments(root, &keys, unspun_port))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unspun starts"),
    );

    let certificate = dir.path().join("cert.pem");
    let private_key = dir.path().join("key.pem");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=unspun.example.org"])
        .arg("-keyout")
        .arg(&private_key)
        .arg("-out")
        .arg(&certificate)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success(), "openssl made no certificate");

    let nginx_port = free_port();
    let site = std::fs::read_to_string(root.join("deploy/nginx-unspun.conf"))
        .unwrap()
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{unspun_port}"))
        .replace(
            "listen 443 ssl",
            &format!("listen 127.0.0.1:{nginx_port} ssl"),
        )
        .replace(
            "/etc/ssl/certs/unspun.example.org.pem",
            certificate.to_str().unwrap(),
        )
        .replace(
            "/etc/ssl/private/unspun.example.org.key",
            private_key.to_str().unwrap(),
        );
    assert!(site.contains(&format!("listen 127.0.0.1:{nginx_port} ssl")));
    std::fs::write(dir.path().join("site.conf"), site).unwrap();
    let prefix = dir.path().display();
    std::fs::write(
        dir.path().join("nginx.conf"),
        format!(
            "daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n  \
             fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n  \
             include {prefix}/site.conf;\n}}\n"
        ),
    )
    .unwrap();
    let _nginx = Killed(
        Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx starts"),
    );
    wait_for(unspun_port);
    wait_for(nginx_port);

    let check = format!("https://127.0.0.1:{nginx_port}/v1/check");
    let body = r#"{"text": "The mayor volition visit Lisbon connected Friday."}"#;
    let post = |key: Option<&str>, extra: &[&str]| {
        let auth = key.map(|k| format!("Authorization: Bearer {k}"));
        let mut args = vec![
            "-H",
            "content-type: application/json",
            "--data-binary",
            body,
        ];
        if let Some(auth) = &auth {
            args.extend(["-H", auth.as_str()]);
        }
        args.extend_from_slice(extra);
        curl(&check, &args)
    };

    let refused = post(None, &[]);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(refused.body.contains("/problems/unauthorized"));
    let health = curl(&format!("https://127.0.0.1:{nginx_port}/healthz"), &[]);
    assert_eq!(health.status, 200, "{}", health.body);

    let served = post(Some(CMS_KEY), &["-H", "X-Request-Id: editor-7.1"]);
    assert_eq!(served.status, 200, "{}", served.body);
    assert!(served.body.contains("\"volition\""), "{}", served.body);
    assert_eq!(served.header("x-request-id"), Some("editor-7.1"));

    // The unit allows 20 requests a second with a burst of 40, per key.
    let mut limited = None;
    for _ in 0..60 {
        let seen = post(Some(CMS_KEY), &[]);
        if seen.status == 429 {
            limited = Some(seen);
            break;
        }
        assert_eq!(seen.status, 200, "{}", seen.body);
    }
    let limited = limited.expect("the key was never rate limited");
    assert!(limited.header("retry-after").is_some());
    assert!(limited
        .header("ratelimit-policy")
        .is_some_and(|p| p.contains("q=40")));
    let other = post(Some(EDITORS_KEY), &[]);
    assert_eq!(other.status, 200, "another key is served: {}", other.body);

    // The unit allows pages on https://cms.example.org, no others.
    let allowed = post(
        Some(EDITORS_KEY),
        &["-H", "Origin: https://cms.example.org"],
    );
    assert_eq!(allowed.status, 200);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://cms.example.org")
    );
    let foreign = post(Some(EDITORS_KEY), &["-H", "Origin: https://evil.example"]);
    assert_eq!(foreign.status, 403, "{}", foreign.body);
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}
