#!/usr/bin/env bash
# ensure-test-tools.sh - make sure the programs the tests run are installed: Debian's chromium at
# /usr/bin/chromium for the browser test of the GraphiQL page (httpapi/graphiql), and curl and jq
# for the README's sh examples (readme_examples_test.go). Does nothing when all are there;
# otherwise installs the missing packages with apt-get (as root, or through sudo).
#
# Concurrent runs are serialised with flock so that two test set-ups do not race apt.
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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

if have flock; then
	lock="${TMPDIR:-/tmp}/ensure-test-tools.lock"
	[[ -e $lock ]] || { : >>"$lock"; chmod 0666 "$lock"; } 2>/dev/null || true
	exec 9<"$lock"
	flock -w 900 9 || die "timed out waiting for lock ${lock}"
	need=$(missing) # some may have been installed by whoever held the lock
	[[ -z $need ]] && exit 0
fi
# shellcheck disable=SC2086 # need is a list of package names
apt_install $need
need=$(missing)
[[ -z $need ]] || die "still missing after apt-get install: ${need}"
