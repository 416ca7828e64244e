#!/usr/bin/env bash
# ensure-test-tools.sh - make sure the programs the tests run are installed: Debian's chromium at
# /usr/bin/chromium for the browser test of the GraphiQL page (httpapi/graphiql), and curl and jq
# for the README's sh examples (readme_examples_test.go). Does nothing when all are there;
# otherwise installs the missing packages with apt-get (as root, or through sudo).
#
# Concurrent runs are serialised with flock so that two test set-ups do not race apt.
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

log() { printf 'ensure-test-tools: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
	if [[ $(id -u) -eq 0 ]] || ! have sudo; then
		"$@" 9<&-
	else
		sudo "$@" 9<&-
	fi
}

# missing lists the Debian packages whose program is not installed.
missing() {
	local pkgs=()
	[[ -x $CHROMIUM ]] || pkgs+=(chromium)
	have curl || pkgs+=(curl)
	have jq || pkgs+=(jq)
	echo "${pkgs[@]}"
}

need=$(missing)
[[ -z $need ]] && exit 0

have apt-get || die "missing: ${need}, and apt-get is not available; install them yourself"
if [[ $(id -u) -ne 0 ]] && ! have sudo; then
	die "missing: ${need}, and this is not root and sudo is missing"
fi
if have flock; then
	lock="${TMPDIR:-/tmp}/ensure-test-tools.lock"
	[[ -e $lock ]] || { : >>"$lock"; chmod 0666 "$lock"; } 2>/dev/null || true
	exec 9<"$lock"
	flock -w 900 9 || die "timed out waiting for lock ${lock}"
	need=$(missing) # some may have been installed by whoever held the lock
	[[ -z $need ]] && exit 0
fi
log "running apt-get update"
as_root apt-get -o DPkg::Lock::Timeout=300 update >&2 || die "apt-get update failed"
log "installing ${need}"
# shellcheck disable=SC2086 # need is a list of package names
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $need >&2 ||
	die "apt-get install ${need} failed"
need=$(missing)
[[ -z $need ]] || die "still missing after apt-get install: ${need}"
