#!/usr/bin/env bash
# graphiql-assets.sh - fetch GraphiQL's browser bundles from the npm registry, at the exact
# versions locked in web/graphiql/package-lock.json, into httpapi/graphiql/assets/, which the
# binary embeds (so the page at / needs nothing from the internet). make build, make run and
# make test run it first; a plain `go build .` without it still works, and its page at / says
# how to get the bundles.
#
# Installs nodejs and npm with apt-get when npm is missing (as root, or through sudo).
# Does nothing when the assets were copied from the current lockfile (a stamp records its hash).
# Concurrent runs in one checkout are serialised with flock.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly NPM_SRC=web/graphiql # package.json and package-lock.json, committed
# npm works in the build output folder, so that node_modules stays out of the source tree.
readonly NPM_DIR=bin/graphiql-npm
readonly OUT=httpapi/graphiql/assets
readonly STAMP=$OUT/.lock-sha256

# source (under node_modules) -> file name in $OUT; httpapi/graphiql's bundles list names the
# same files (its test compares them).
readonly -a COPY=(
	react/umd/react.production.min.js react.production.min.js
	react-dom/umd/react-dom.production.min.js react-dom.production.min.js
	graphiql/graphiql.min.js graphiql.min.js
	graphiql/graphiql.min.css graphiql.min.css
)

up_to_date() {
	local i
	[[ -f $STAMP && $(<"$STAMP") == "$lock_sum" ]] || return 1
	for ((i = 1; i < ${#COPY[@]}; i += 2)); do
		[[ -s $OUT/${COPY[i]} ]] || return 1
	done
}

# The stamp covers this script too: a change to what it copies fetches again.
lock_sum=$(cat "$NPM_SRC/package.json" "$NPM_SRC/package-lock.json" "${BASH_SOURCE[0]}" | sha256sum | cut -d" " -f1)
up_to_date && exit 0

mkdir -p "$NPM_DIR"
if have flock; then
	exec 9>"$NPM_DIR/.lock"
	flock -w 900 9 || die "timed out waiting for $NPM_DIR/.lock"
	up_to_date && exit 0 # fetched by whoever held the lock
fi

have npm || apt_install nodejs npm
have npm || die "npm still missing after apt-get install npm"
cp "$NPM_SRC/package.json" "$NPM_SRC/package-lock.json" "$NPM_DIR/"
log "npm ci in $NPM_DIR (from $NPM_SRC)"
# --ignore-scripts: only files are taken from the packages, none of their install scripts runs.
(cd "$NPM_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2 ||
	die "npm ci failed in $NPM_DIR"

rm -f "$STAMP"
outs=()
for ((i = 0; i < ${#COPY[@]}; i += 2)); do
	src=$NPM_DIR/node_modules/${COPY[i]}
	[[ -s $src ]] || die "$src is missing from the installed packages"
	cp "$src" "$OUT/${COPY[i + 1]}.tmp"
	mv -f "$OUT/${COPY[i + 1]}.tmp" "$OUT/${COPY[i + 1]}"
	outs+=("$OUT/${COPY[i + 1]}")
done
printf '%s\n' "$lock_sum" >"$STAMP"
log "copied ${#outs[@]} files into $OUT ($(du -cb "${outs[@]}" | tail -n 1 | cut -f1) bytes)"
