#!/usr/bin/env bash
# The whole test suite: every crate of the workspace, unit, integration and doc
# tests. Tests that need ../shared or an optional source skip with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --all-targets
cargo test --workspace --doc
