//! The server's settings: where it listens and the limits that keep it responsive.
//!
//! Each setting is a command-line flag and an environment variable (for
//! containers), with a default that suits a self-hosted server for a newsroom or a
//! CMS. The CLI embeds [`ServeConfig`] in its `serve` subcommand.

use std::net::SocketAddr;
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
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: DEFAULT_ADDR.parse().expect("the default address parses"),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_concurrent: DEFAULT_MAX_CONCURRENT,
            max_memory_bytes: DEFAULT_MAX_MEMORY_BYTES,
        }
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
}
