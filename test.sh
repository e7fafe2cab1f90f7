#!/usr/bin/env bash
# Runs every tarn test, setting up what the tests need first:
#   - the JavaScript clients and handlers' packages (npm ci, committed lock file);
#   - the AWS CLI, jq and curl (Debian packages) for the README quick-start test;
#   - PostgreSQL on 127.0.0.1:5432 (Debian's package, started if stopped).
# Installing needs root and apt-get; without them the tests that need a
# missing tool say so. Extra arguments go to go test.
set -euo pipefail
cd "$(dirname "$0")"

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_install() {
  if can_apt; then
    export DEBIAN_FRONTEND=noninteractive
    [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
    apt-get install -y -qq "$@" >/dev/null
  else
    echo "test.sh: cannot install $* (needs root and apt-get); the tests that use them will fail or skip" >&2
  fi
}

# npm packages the tests drive.
if [ ! -d test/js/node_modules ] || [ test/js/package-lock.json -nt test/js/node_modules ]; then
  npm ci --prefix test/js --no-audit --no-fund
fi

# Tools of the README quick-start test.
missing=()
for tool in aws:awscli jq:jq curl:curl; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# PostgreSQL for the store conformance suite and the multi-node tests.
pg_ready() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
if ! pg_ready && [ -z "${TARN_TEST_POSTGRES:-}" ]; then
  # The package's own start-up may fail without an init system; the
  # cluster is started below either way.
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql || true
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    # Trust local TCP connections for the test user, as on the dev machines.
    grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    for _ in $(seq 1 60); do pg_ready && break; sleep 0.5; done
  fi
fi
if [ -n "${TARN_TEST_POSTGRES:-}" ] || pg_ready; then
  export TARN_REQUIRE_POSTGRES="${TARN_REQUIRE_POSTGRES:-1}"
else
  echo "test.sh: no PostgreSQL on 127.0.0.1:5432; its tests will be skipped" >&2
fi

go vet ./...
go test -count=1 -timeout 20m "$@" ./...
