#!/usr/bin/env bash
# ensure-audit.sh - make sure node and npm are installed (Debian packages, via
# apt-get) and that scripts/audit has exactly the npm packages its
# package-lock.json pins (graphql-http and graphql), for the graphql-http
# server audit that httpapi/conformance_test.go runs.
#
# When node answers and the installed packages match the lock file, this does
# nothing and prints nothing. Installing node needs root (or sudo).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="$(cd "$(dirname "$0")/audit" && pwd)"

if ! have node || ! have npm; then
	apt_install nodejs npm
fi

# audit.mjs needs a global fetch and top-level await: Node 18 or later.
if ! node -e 'process.exit(typeof fetch === "function" ? 0 : 1)'; then
	die "node $(node --version) has no global fetch; the audit needs Node 18 or later"
fi

# npm ci wipes and reinstalls; skip it while the lock file is the one last installed from.
stamp="$dir/node_modules/.installed-from-lock"
if ! cmp -s "$dir/package-lock.json" "$stamp"; then
	log "npm ci in $dir"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	cp "$dir/package-lock.json" "$stamp"
fi
