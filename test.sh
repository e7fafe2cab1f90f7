#!/usr/bin/env bash
# Runs every tarn test: installs the JavaScript clients the tests drive
# (from the committed lock file), then go vet and go test on all packages.
# PostgreSQL tests use TARN_TEST_POSTGRES or postgres://postgres@127.0.0.1:5432;
# without a server they skip, unless TARN_REQUIRE_POSTGRES=1.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -d test/js/node_modules ] || [ test/js/package-lock.json -nt test/js/node_modules ]; then
  npm ci --prefix test/js --no-audit --no-fund
fi
go vet ./...
go test -count=1 -timeout 20m "$@" ./...
