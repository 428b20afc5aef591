//! `unspun serve`: the HTTP service. The CLI only builds the checker from its
//! dictionary flags and hands it to `unspun::server`.

use super::CheckerArgs;
use clap::Args;
use std::time::Duration;

/// How long exiting waits for cancelled checks to stop, after the grace period
/// of the requests in flight.
const SHUTDOWN_CHECKS: Duration = Duration::from_secs(1);

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    server: unspun::server::ServeConfig,
    #[command(flatten)]
    checker: CheckerArgs,
}

pub fn run(args: ServeArgs) -> Result<i32, String> {
    let started = std::time::Instant::now();
    let (checker, defaults) = args.checker.build()?;
    let model_load = started.elapsed();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let addr = args.server.addr;
    let served = runtime.block_on(unspun::server::serve_with(
        checker,
        defaults,
        args.server,
        model_load,
    ));
    // Checks still running were told to stop when their requests were dropped;
    // a check stops within one stage of its work, so this wait is short.
    runtime.shutdown_timeout(SHUTDOWN_CHECKS);
    served.map_err(|e| format!("serving on {addr}: {e}"))?;
    Ok(0)
}
