#!/usr/bin/env bash
# ensure-postgres.sh - make sure a PostgreSQL server answers at the host/port of
# DATABASE_URL, accepts user "postgres" without a password over TCP, and that
# the database named in DATABASE_URL exists.
#
#   DATABASE_URL  default: postgres://postgres@127.0.0.1:5432/zhuguan?sslmode=disable
#
# If the server already answers and the database exists, this does nothing
# (two quick client calls) and prints nothing.
#
# Only for a local host (127.0.0.1, localhost, ::1) does it install, create,
# start or reconfigure anything (Debian/Ubuntu packaging: apt-get,
# pg_lsclusters, pg_createcluster, pg_ctlcluster). That part needs root (or
# sudo). For a remote host that does not answer it fails.
#
# Idempotent; concurrent runs are serialised with flock for the slow path, and
# a concurrent "database already exists" is ignored.
set -euo pipefail

readonly DEFAULT_URL='postgres://postgres@127.0.0.1:5432/zhuguan?sslmode=disable'
readonly START_TIMEOUT=30 # seconds to wait for a started server to answer

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---------------------------------------------------------------- parse URL --

parse_url() {
	local url=$1 rest authority hostport
	case $url in
	postgres://* | postgresql://*) ;;
	*) die "DATABASE_URL must look like postgres://user@host:port/dbname?... (got: ${url})" ;;
	esac
	rest=${url#*://}
	rest=${rest%%\?*} # drop ?query
	rest=${rest%%#*}  # drop #fragment
	authority=${rest%%/*}
	if [[ $rest == */* ]]; then
		DB=${rest#*/}
	else
		DB=''
	fi
	hostport=${authority##*@} # drop user[:password]@

	if [[ $hostport == \[* ]]; then # [ipv6]:port
		HOST=${hostport#\[}
		HOST=${HOST%%\]*}
		PORT=${hostport#*\]}
		PORT=${PORT#:}
	elif [[ $hostport == *:* ]]; then
		HOST=${hostport%%:*}
		PORT=${hostport#*:}
	else
		HOST=$hostport
		PORT=''
	fi
	HOST=${HOST:-127.0.0.1}
	PORT=${PORT:-5432}
	DB=${DB%/}
	if [[ $DB == *%* ]]; then # percent-decoding
		DB=$(printf '%b' "${DB//%/\\x}")
	fi
	DB=${DB:-postgres}
	[[ $PORT =~ ^[0-9]+$ ]] || die "bad port '${PORT}' in DATABASE_URL"
}

is_local_host() {
	case $HOST in
	127.0.0.1 | localhost | ::1) return 0 ;;
	*) return 1 ;;
	esac
}

# ---------------------------------------------------------------- checks -----

# True when the server accepts connections (not merely "starting up").
# shellcheck disable=SC2016 # $1/$2 expand in the child bash
is_ready() {
	if have pg_isready; then
		pg_isready -q -h "$HOST" -p "$PORT" -t 2 >/dev/null 2>&1
	elif have timeout; then
		timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$PORT" >/dev/null 2>&1
	else
		bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$PORT" >/dev/null 2>&1
	fi
}

wait_ready() {
	local deadline=$((SECONDS + START_TIMEOUT))
	while ((SECONDS < deadline)); do
		is_ready && return 0
		sleep 0.5
	done
	is_ready
}

# Does the database exist? 0 = yes, 1 = no, 2 = could not connect/query
# (message in PSQL_ERR). -w: never prompt for a password.
PSQL_ERR=''
db_exists() {
	local out
	if ! out=$(psql -X -w -q -h "$HOST" -p "$PORT" -U postgres -d postgres -tA \
		-v ON_ERROR_STOP=1 -v db="$DB" 2>&1 <<<"select 1 from pg_database where datname = :'db';"); then
		PSQL_ERR=$out
		return 2
	fi
	[[ $out == 1 ]]
}

create_db() {
	local out
	log "creating database ${DB} on ${HOST}:${PORT}"
	if ! out=$(createdb -w -h "$HOST" -p "$PORT" -U postgres -- "$DB" 2>&1); then
		if [[ $out == *"already exists"* ]] || db_exists; then
			return 0 # created concurrently by someone else
		fi
		die "createdb ${DB} failed: ${out}"
	fi
}

# ---------------------------------------------------------------- install ----

newest_version() {
	local f v
	for f in /usr/lib/postgresql/*/bin/postgres; do
		[[ -x $f ]] || continue
		v=${f#/usr/lib/postgresql/}
		echo "${v%%/*}"
	done | sort -V | tail -n 1
}

have_server() {
	have pg_lsclusters && have pg_ctlcluster && have pg_createcluster && [[ -n $(newest_version) ]]
}

ensure_client_tools() {
	if ! have psql || ! have createdb || ! have pg_isready; then
		apt_install postgresql-client
	fi
	if ! have psql || ! have createdb; then
		die "psql/createdb still missing after installing postgresql-client"
	fi
}

# ---------------------------------------------------------------- clusters ---

# Prints "VERSION NAME STATUS" of the cluster configured for $PORT, if any.
cluster_for_port() {
	local ver name port status _rest
	while read -r ver name port status _rest; do
		if [[ $port == "$PORT" ]]; then
			echo "$ver $name $status"
			return 0
		fi
	done < <(pg_lsclusters -h 2>/dev/null)
	return 1
}

cluster_exists() { # VERSION NAME
	local ver name _rest
	while read -r ver name _rest; do
		[[ $ver == "$1" && $name == "$2" ]] && return 0
	done < <(pg_lsclusters -h 2>/dev/null)
	return 1
}

# Sets CL_VER, CL_NAME, CL_STATUS for the cluster on $PORT, creating it if needed.
find_or_create_cluster() {
	local line ver name out
	if line=$(cluster_for_port); then
		read -r CL_VER CL_NAME CL_STATUS <<<"$line"
		return 0
	fi
	ver=$(newest_version)
	name=main
	if cluster_exists "$ver" main; then
		name="main_${PORT}"
	fi
	log "creating cluster ${ver}/${name} on port ${PORT}"
	if ! out=$(as_root pg_createcluster --port "$PORT" "$ver" "$name" 2>&1); then
		printf '%s\n' "$out" >&2
		die "pg_createcluster --port ${PORT} ${ver} ${name} failed"
	fi
	CL_VER=$ver
	CL_NAME=$name
	CL_STATUS=down
}

hba_file() { # VERSION NAME
	local f
	f=$(pg_conftool -s "$1" "$2" show hba_file 2>/dev/null || true)
	f=${f//\'/}
	echo "${f:-/etc/postgresql/$1/$2/pg_hba.conf}"
}

# DEVELOPMENT/TEST MACHINES ONLY: let local TCP connections (127.0.0.1/32 and
# ::1/128) in without a password by switching their pg_hba.conf method (on a
# fresh Debian install: scram-sha-256) to "trust", then reload.
# Returns 0 if it changed something.
make_local_tcp_trust() { # VERSION NAME
	local ver=$1 name=$2 file re tmp
	file=$(hba_file "$ver" "$name")
	as_root test -f "$file" || die "pg_hba.conf of cluster ${ver}/${name} not found at ${file}"
	re='^([[:space:]]*host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)'
	if as_root grep -Eq "${re}[^[:space:]]+" "$file"; then
		# Such lines exist: switch those not already on trust.
		if ! as_root grep -E "${re}[^[:space:]]+" "$file" | grep -Evq "${re}trust([[:space:]]|$)"; then
			return 1 # all already trust: nothing to change
		fi
		log "development/test setup: switching local TCP auth (127.0.0.1/32, ::1/128) to trust in ${file}"
		as_root sed -i.ensure-postgres.bak -E "s@${re}[^[:space:]]+@\\1trust@" "$file" ||
			die "could not edit ${file}"
	else
		log "development/test setup: adding trust auth for local TCP connections to ${file}"
		tmp=$(mktemp)
		{
			echo '# Added by scripts/ensure-postgres.sh: development/test machine only.'
			echo 'host    all             postgres        127.0.0.1/32            trust'
			echo 'host    all             postgres        ::1/128                 trust'
			as_root cat "$file"
		} >"$tmp"
		as_root cp -p "$file" "${file}.ensure-postgres.bak"
		# shellcheck disable=SC2016 # $1/$2 expand in the child sh
		as_root sh -c 'cat "$1" > "$2"' _ "$tmp" "$file" || die "could not edit ${file}"
		rm -f "$tmp"
	fi
	return 0
}

start_cluster() {
	log "starting cluster ${CL_VER}/${CL_NAME} (port ${PORT})"
	if ! as_root pg_ctlcluster --skip-systemctl-redirect "$CL_VER" "$CL_NAME" start >&2; then
		log "pg_ctlcluster start returned an error; waiting for the server anyway"
	fi
}

reload_cluster() {
	log "reloading cluster ${CL_VER}/${CL_NAME}"
	as_root pg_ctlcluster --skip-systemctl-redirect "$CL_VER" "$CL_NAME" reload >&2 ||
		die "pg_ctlcluster ${CL_VER} ${CL_NAME} reload failed"
}

# Local host, server not answering: install / create / start as needed.
ensure_local_server() {
	is_ready && return 0
	if ! have_server; then
		apt_install postgresql
		have_server || die "PostgreSQL server still not found after apt-get install postgresql"
		is_ready && return 0 # the package's postinst may have started it
	fi
	have pg_isready || ensure_client_tools

	find_or_create_cluster
	if [[ $CL_STATUS != online* ]]; then
		start_cluster
	fi
	if ! wait_ready; then
		log "log file: /var/log/postgresql/postgresql-${CL_VER}-${CL_NAME}.log"
		die "PostgreSQL cluster ${CL_VER}/${CL_NAME} does not answer at ${HOST}:${PORT} after ${START_TIMEOUT}s"
	fi
}

# Local host, server answers but user postgres cannot log in without a password.
fix_local_access() {
	local line rc
	have pg_lsclusters ||
		die "cannot connect as postgres to ${HOST}:${PORT} without a password and this server is not a Debian-managed cluster: ${PSQL_ERR}"
	line=$(cluster_for_port) ||
		die "cannot connect as postgres to ${HOST}:${PORT} without a password and no pg_lsclusters cluster uses port ${PORT}: ${PSQL_ERR}"
	read -r CL_VER CL_NAME CL_STATUS <<<"$line"
	make_local_tcp_trust "$CL_VER" "$CL_NAME" ||
		die "cannot connect as postgres to ${HOST}:${PORT}: ${PSQL_ERR}"
	reload_cluster
	# A reload is asynchronous: retry for a few seconds.
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rc=0
		db_exists || rc=$?
		((rc != 2)) && return 0
		sleep 0.5
	done
	die "still cannot connect as postgres to ${HOST}:${PORT} after switching to trust: ${PSQL_ERR}"
}

take_lock() {
	have flock || return 0
	local f="${TMPDIR:-/tmp}/ensure-postgres-${PORT}.lock"
	[[ -e $f ]] || { : >>"$f"; chmod 0666 "$f"; } 2>/dev/null || true
	[[ -r $f ]] || return 0
	exec 9<"$f"
	flock -w 600 9 || die "timed out waiting for lock ${f}"
}

# ---------------------------------------------------------------- main -------

main() {
	local rc
	parse_url "${DATABASE_URL:-$DEFAULT_URL}"

	# Fast path: server answers, we can log in, the database exists.
	if is_ready && have psql; then
		rc=0
		db_exists || rc=$?
		case $rc in
		0) return 0 ;;
		1)
			have createdb || ensure_client_tools
			create_db
			return 0
			;;
		esac
	fi

	if ! is_local_host; then
		if ! is_ready; then
			die "no PostgreSQL server answers at ${HOST}:${PORT} (remote host: not starting anything)"
		fi
		have psql || die "psql is not installed (needed to check database ${DB})"
		die "cannot connect as postgres to ${HOST}:${PORT}: ${PSQL_ERR}"
	fi

	take_lock
	ensure_local_server
	if ! have psql || ! have createdb; then
		ensure_client_tools
	fi

	rc=0
	db_exists || rc=$?
	if ((rc == 2)); then
		fix_local_access
		rc=0
		db_exists || rc=$?
		((rc == 2)) && die "cannot query ${HOST}:${PORT}: ${PSQL_ERR}"
	fi
	if ((rc == 1)); then
		create_db
	fi
}

main "$@"
