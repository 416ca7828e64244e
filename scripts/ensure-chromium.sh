#!/usr/bin/env bash
# ensure-chromium.sh - make sure Debian's chromium is installed at /usr/bin/chromium, for the
# browser test of the GraphiQL page (httpapi/graphiql). Does nothing when it is there; otherwise
# installs the chromium package with apt-get (as root, or through sudo).
#
# Concurrent runs are serialised with flock so that two test set-ups do not race apt.
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }
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

[[ -x $CHROMIUM ]] && exit 0

have apt-get || die "${CHROMIUM} is missing and apt-get is not available; install chromium yourself"
if [[ $(id -u) -ne 0 ]] && ! have sudo; then
	die "${CHROMIUM} is missing and this is not root and sudo is missing"
fi
if have flock; then
	lock="${TMPDIR:-/tmp}/ensure-chromium.lock"
	[[ -e $lock ]] || { : >>"$lock"; chmod 0666 "$lock"; } 2>/dev/null || true
	exec 9<"$lock"
	flock -w 900 9 || die "timed out waiting for lock ${lock}"
	[[ -x $CHROMIUM ]] && exit 0 # installed by whoever held the lock
fi
log "running apt-get update"
as_root apt-get -o DPkg::Lock::Timeout=300 update >&2 || die "apt-get update failed"
log "installing chromium"
as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium >&2 ||
	die "apt-get install chromium failed"
[[ -x $CHROMIUM ]] || die "${CHROMIUM} still missing after apt-get install chromium"
