//! The server's settings: where it listens and the limits that keep it responsive.
//!
//! Each setting is a command-line flag and an environment variable (for
//! containers), with a default that suits a self-hosted server for a newsroom or a
//! CMS. The CLI embeds [`ServeConfig`] in its `serve` subcommand.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

/// Default listening address: loopback only, so nothing is exposed by accident.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// Default limit on a request body (and on one NDJSON line): 2 MiB, about
/// 300,000 words, far longer than any article.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 2 * 1024 * 1024;
/// Default time limit for receiving a request and checking it.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;
/// Default number of checks that may run at once; more get 503 with `Retry-After`.
pub const DEFAULT_MAX_CONCURRENT: u32 = 64;
/// Default memory budget for the requests in flight: 1 GiB, room for ten checks
/// of the largest body at once and hundreds of ordinary articles.
pub const DEFAULT_MAX_MEMORY_BYTES: u64 = 1 << 30;

/// Settings of `unspun serve`.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct ServeConfig {
    /// Address (IP:port) to listen on.
    #[arg(long, env = "UNSPUN_ADDR", default_value = DEFAULT_ADDR, value_name = "IP:PORT")]
    pub addr: SocketAddr,

    /// Largest request body accepted, in bytes (for NDJSON batches: largest line).
    /// Larger bodies get 413.
    #[arg(
        long,
        env = "UNSPUN_MAX_BODY_BYTES",
        default_value_t = DEFAULT_MAX_BODY_BYTES,
        value_parser = clap::value_parser!(u64).range(1..),
        value_name = "BYTES"
    )]
    pub max_body_bytes: u64,

    /// Time limit, in milliseconds, for receiving a request and checking it (for
    /// NDJSON batches: per line). Past it: 408 while receiving, 503 while checking
    /// (and the check stops). A client that takes no part of a response for as
    /// long is disconnected.
    #[arg(
        long,
        env = "UNSPUN_TIMEOUT_MS",
        default_value_t = DEFAULT_TIMEOUT_MS,
        value_parser = clap::value_parser!(u64).range(1..),
        value_name = "MS"
    )]
    pub timeout_ms: u64,

    /// Checks that may run at once; requests over it get 503 with Retry-After.
    #[arg(
        long,
        env = "UNSPUN_MAX_CONCURRENT",
        default_value_t = DEFAULT_MAX_CONCURRENT,
        value_parser = clap::value_parser!(u32).range(1..),
        value_name = "N"
    )]
    pub max_concurrent: u32,

    /// Memory budget, in bytes, for the requests in flight: bodies, checks and
    /// responses not yet sent. A request whose check would pass it gets 503
    /// with Retry-After before the work (413 if it could never fit).
    #[arg(
        long,
        env = "UNSPUN_MAX_MEMORY_BYTES",
        default_value_t = DEFAULT_MAX_MEMORY_BYTES,
        value_parser = clap::value_parser!(u64).range(1024..),
        value_name = "BYTES"
    )]
    pub max_memory_bytes: u64,

    /// File of API keys, one `NAME KEY` pair per line (`#` starts a comment;
    /// keys of 16 characters or more). With it every request needs a key, as
    /// `Authorization: Bearer KEY` or LanguageTool's `apiKey` parameter; the
    /// file is read again on SIGHUP.
    #[arg(long, env = "UNSPUN_API_KEY_FILE", value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,

    /// With --api-key-file: also require a key for /healthz, /v2/healthcheck,
    /// /openapi.yaml and /problems/*, which are otherwise open.
    #[arg(long, env = "UNSPUN_REQUIRE_KEY_EVERYWHERE", requires = "api_key_file")]
    pub require_key_everywhere: bool,

    /// Requests per second allowed to each API key (without keys: to each
    /// client address). Over it: 429 with Retry-After. Unlimited if unset.
    #[arg(long, env = "UNSPUN_RATE_LIMIT_REQUESTS", value_name = "PER_SECOND")]
    pub rate_limit_requests: Option<NonZeroU32>,

    /// Requests a client may send at once above its rate (the bucket's size);
    /// defaults to one second's worth of --rate-limit-requests.
    #[arg(
        long,
        env = "UNSPUN_RATE_LIMIT_BURST",
        value_name = "REQUESTS",
        requires = "rate_limit_requests"
    )]
    pub rate_limit_burst: Option<NonZeroU32>,

    /// Request-body bytes per second allowed to each key or client address.
    /// The burst is one second's worth, and never less than --max-body-bytes
    /// (so that any body the server accepts can pass). Unlimited if unset.
    #[arg(long, env = "UNSPUN_RATE_LIMIT_BYTES", value_name = "BYTES_PER_SECOND")]
    pub rate_limit_bytes: Option<NonZeroU32>,

    /// Header that holds the client's address, set by a reverse proxy in front
    /// (e.g. X-Real-IP; for X-Forwarded-For the last address is taken). Used
    /// for rate limits without keys. Set it only behind a proxy that always
    /// sets it: clients can send it themselves.
    #[arg(long, env = "UNSPUN_CLIENT_ADDRESS_HEADER", value_name = "HEADER")]
    pub client_address_header: Option<String>,

    /// Origin whose web pages may call the API (CORS), e.g.
    /// https://cms.example.org; repeatable, or `*` for every origin. Without
    /// it no CORS headers are sent, and requests that a browser sends from
    /// another site's page (their Origin header names another host) get 403.
    #[arg(
        long = "cors-origin",
        env = "UNSPUN_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<String>,

    /// Format of the log lines on stderr.
    #[arg(long, env = "UNSPUN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How the server writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: DEFAULT_ADDR.parse().expect("the default address parses"),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            max_memory_bytes: DEFAULT_MAX_MEMORY_BYTES,
            api_key_file: None,
            require_key_everywhere: false,
            rate_limit_requests: None,
            rate_limit_burst: None,
            rate_limit_bytes: None,
            client_address_header: None,
            cors_origins: Vec::new(),
            log_format: LogFormat::Text,
        }
    }
}

/// Why the server cannot start with a configuration. Each names the flag.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SetupError {
    /// `--api-key-file` cannot be used.
    #[error("--api-key-file: {0}")]
    KeyFile(#[from] super::access::KeyFileError),
    /// A `--cors-origin` value is not an origin.
    #[error("{0}")]
    Origin(String),
    /// A rate-limit flag is not usable.
    #[error("{0}")]
    RateLimit(String),
}

impl From<SetupError> for std::io::Error {
    fn from(error: SetupError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, error.to_string())
    }
}

impl ServeConfig {
    /// The time limit as a [`Duration`].
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeConfig,
    }

    #[test]
    fn defaults_match_the_default_impl() {
        let cli = Cli::try_parse_from(["unspun"]).unwrap();
        assert_eq!(cli.serve, ServeConfig::default());
    }

    #[test]
    fn flags_set_every_limit_and_zero_is_refused() {
        let cli = Cli::try_parse_from([
            "unspun",
            "--addr",
            "127.0.0.1:0",
            "--max-body-bytes",
            "10",
            "--timeout-ms",
            "20",
            "--max-concurrent",
            "3",
            "--max-memory-bytes",
            "1048576",
        ])
        .unwrap();
        assert_eq!(cli.serve.addr.port(), 0);
        assert_eq!(cli.serve.max_body_bytes, 10);
        assert_eq!(cli.serve.timeout(), Duration::from_millis(20));
        assert_eq!(cli.serve.max_concurrent, 3);
        assert_eq!(cli.serve.max_memory_bytes, 1 << 20);
        assert!(Cli::try_parse_from(["unspun", "--max-concurrent", "0"]).is_err());
    }

    #[test]
    fn exposure_flags_parse_and_their_dependencies_are_enforced() {
        let cli = Cli::try_parse_from([
            "unspun",
            "--api-key-file",
            "/etc/unspun/keys",
            "--require-key-everywhere",
            "--rate-limit-requests",
            "20",
            "--rate-limit-burst",
            "40",
            "--rate-limit-bytes",
            "1000000",
            "--client-address-header",
            "X-Real-IP",
            "--cors-origin",
            "https://a.example,https://b.example",
            "--cors-origin",
            "https://c.example",
            "--log-format",
            "json",
        ])
        .unwrap();
        let serve = cli.serve;
        assert_eq!(
            serve.api_key_file.as_deref(),
            Some(std::path::Path::new("/etc/unspun/keys"))
        );
        assert!(serve.require_key_everywhere);
        assert_eq!(serve.rate_limit_requests.map(NonZeroU32::get), Some(20));
        assert_eq!(serve.rate_limit_burst.map(NonZeroU32::get), Some(40));
        assert_eq!(serve.rate_limit_bytes.map(NonZeroU32::get), Some(1_000_000));
        assert_eq!(serve.cors_origins.len(), 3);
        assert_eq!(serve.log_format, LogFormat::Json);
        // A burst without a rate, closing routes without keys, a zero rate.
        assert!(Cli::try_parse_from(["unspun", "--rate-limit-burst", "5"]).is_err());
        assert!(Cli::try_parse_from(["unspun", "--require-key-everywhere"]).is_err());
        assert!(Cli::try_parse_from(["unspun", "--rate-limit-requests", "0"]).is_err());
        assert!(Cli::try_parse_from(["unspun", "--log-format", "xml"]).is_err());
    }
}
