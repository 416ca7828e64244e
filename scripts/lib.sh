# lib.sh - what the set-up scripts share; they source it, nobody runs it: messages, running as
# root, and installing Debian packages.
#
# fd 9 is a script's own lock (flock) when it takes one; commands run as root close it, so that a
# server started from here does not inherit the lock and hold it forever.

log() {
	local name=${0##*/}
	printf '%s: %s\n' "${name%.sh}" "$*" >&2
}
die() {
	log "error: $*"
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# as_root runs a command as root: directly when we are root, else through sudo if present, else
# directly (pg_ctlcluster, say, also works for the cluster's owner).
as_root() {
	if [[ $(id -u) -eq 0 ]] || ! have sudo; then
		"$@" 9<&-
	else
		sudo "$@" 9<&-
	fi
}

# apt_install installs Debian packages with apt-get (as root, or through sudo), updating the
# package lists once per script; apt's own lock serialises concurrent scripts.
apt_install() {
	have apt-get || die "missing: $*, and apt-get is not available; install them yourself"
	if [[ $(id -u) -ne 0 ]] && ! have sudo; then
		die "missing: $*, and this is not root and sudo is missing"
	fi
	if [[ ${APT_UPDATED:-} != 1 ]]; then
		log "running apt-get update"
		as_root apt-get -o DPkg::Lock::Timeout=300 update >&2 || die "apt-get update failed"
		APT_UPDATED=1
	fi
	log "installing $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "$@" >&2 ||
		die "apt-get install $* failed"
}
