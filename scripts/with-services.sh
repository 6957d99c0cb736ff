#!/usr/bin/env bash
# with-services.sh — run a command against a throw-away PostgreSQL and Redis.
#
# Usage: scripts/with-services.sh <command> [args...]
#
# Cocon's tests run against REAL servers, not mocks or SQLite: the realtime
# features depend on PostgreSQL semantics and on the Redis channel layer, and
# only real servers catch the bugs that matter there. This script:
#   1. installs what is missing from Debian packages (redis-server, postgresql,
#      chromium unless COCON_SKIP_BROWSER=1, fonts-dejavu-core, nodejs);
#   2. starts a private PostgreSQL and Redis on free ports of 127.0.0.1, with
#      their data in a temporary directory, tuned for speed, not durability;
#   3. exports DATABASE_URL, REDIS_URL, COCON_PG_BIN, COCON_PG_DATA and
#      COCON_REDIS_PORT, then runs the command;
#   4. stops both servers and deletes the temporary directory on every exit
#      path (success, failure, Ctrl-C, SIGTERM), and exits with the command's
#      exit code.
# Several runs can happen at once: each one picks its own ports and directory.
set -euo pipefail

readonly PG_USER=postgres
readonly PG_DB=cocon
readonly START_ATTEMPTS=3 # a new port is tried if the chosen one got taken

WORK_DIR=""   # temporary directory holding everything below
PG_BIN=""     # PostgreSQL server binaries
PG_DATA=""    # PostgreSQL data directory
PG_LOG=""
PG_PORT=""
REDIS_PID=""
REDIS_PORT=""
REDIS_LOG=""
CHILD_PID=""  # the command; also the id of its process group

log() { echo "with-services: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# --- Installing what is missing ---------------------------------------------

as_root() {
	if [[ $EUID -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "must install packages but not running as root and sudo is not available: $*"
	fi
}

# Newest PostgreSQL bin directory that has an initdb, or nothing.
find_pg_bin() {
	local dir
	for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [[ -x $dir/initdb ]]; then
			echo "$dir"
			return
		fi
	done
}

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_missing_packages() {
	local missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	[[ -n $(find_pg_bin) ]] || missing+=(postgresql)
	if [[ ${COCON_SKIP_BROWSER:-0} != 1 && ! -x /usr/bin/chromium ]]; then
		missing+=(chromium)
	fi
	is_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
	# PDF exports (WeasyPrint) lay text out with Pango; see scripts/system-libs.sh.
	is_installed libpango-1.0-0 || missing+=(libpango-1.0-0)
	is_installed libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
	command -v node >/dev/null || missing+=(nodejs) # unit tests of the browser client

	if ((${#missing[@]} == 0)); then
		return
	fi
	log "installing missing packages: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -y -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# --- Helpers ----------------------------------------------------------------

# Ask the kernel for a port that is free right now on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb and pg_ctl refuse to run as root: use the postgres system user then.
as_pg_user() {
	if [[ $EUID -eq 0 ]]; then
		(cd "$WORK_DIR/pg" && runuser -u "$PG_USER" -- "$@")
	else
		"$@"
	fi
}

ensure_pg_user() {
	if [[ $EUID -eq 0 ]] && ! id -u "$PG_USER" >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home "$PG_USER"
	fi
}

make_work_dir() {
	WORK_DIR=$(mktemp -d -t cocon-services.XXXXXX)
	chmod 755 "$WORK_DIR" # the postgres user must be able to enter it
	mkdir "$WORK_DIR/pg" "$WORK_DIR/redis"
	if [[ $EUID -eq 0 ]]; then
		chown "$PG_USER:" "$WORK_DIR/pg"
	fi
}

# --- PostgreSQL -------------------------------------------------------------

init_postgres() {
	PG_BIN=$(find_pg_bin)
	[[ -n $PG_BIN ]] || die "no PostgreSQL server found under /usr/lib/postgresql"
	PG_DATA=$WORK_DIR/pg/data
	PG_LOG=$WORK_DIR/pg/postgres.log
	if ! as_pg_user "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 --no-sync >"$WORK_DIR/pg/initdb.log" 2>&1; then
		cat "$WORK_DIR/pg/initdb.log" >&2
		die "initdb failed"
	fi
	# Our settings live in their own file, rewritten when the port changes.
	as_pg_user sh -c "echo \"include 'cocon.conf'\" >>'$PG_DATA/postgresql.conf'"
}

write_postgres_conf() {
	as_pg_user tee "$PG_DATA/cocon.conf" >/dev/null <<-EOF
		listen_addresses = '127.0.0.1'
		port = $1
		unix_socket_directories = '$WORK_DIR/pg'
		max_connections = 200
		# Throw-away test data: trade durability for speed.
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	EOF
}

start_postgres() {
	local attempt port
	for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
		port=$(free_port)
		write_postgres_conf "$port"
		if as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
			PG_PORT=$port
			"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
			return
		fi
	done
	cat "$PG_LOG" >&2
	die "PostgreSQL did not start (log above)"
}

stop_postgres() {
	[[ -n $PG_DATA && -f $PG_DATA/postmaster.pid ]] || return 0
	as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m fast -w -t 30 >/dev/null 2>&1 ||
		as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m immediate -w -t 30 >/dev/null 2>&1 ||
		log "warning: could not stop PostgreSQL (data: $PG_DATA)"
}

# --- Redis ------------------------------------------------------------------

redis_answers() {
	[[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]]
}

# Wait until Redis answers on port $1; fail if the server died meanwhile.
wait_for_redis() {
	local i
	for ((i = 0; i < 100; i++)); do
		redis_answers "$1" && return 0
		kill -0 "$REDIS_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

start_redis() {
	local attempt port
	REDIS_LOG=$WORK_DIR/redis/redis.log
	for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
		port=$(free_port)
		# setsid: in its own session, Redis does not get the terminal's Ctrl-C
		# and keeps serving while the command shuts down. Errors found before
		# Redis opens its log file go to stderr: send them to the same file.
		# shellcheck disable=SC2094
		setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
			--dir "$WORK_DIR/redis" --logfile "$REDIS_LOG" </dev/null >>"$REDIS_LOG" 2>&1 &
		REDIS_PID=$!
		if wait_for_redis "$port"; then
			REDIS_PORT=$port
			return
		fi
		kill "$REDIS_PID" 2>/dev/null || true
		wait "$REDIS_PID" 2>/dev/null || true
		REDIS_PID=""
	done
	cat "$REDIS_LOG" >&2
	die "Redis did not start (log above)"
}

stop_redis() {
	[[ -n $REDIS_PORT ]] || return 0
	# By port too, in case a test restarted it.
	redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
	[[ -n $REDIS_PID ]] || return 0
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$REDIS_PID" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$REDIS_PID" 2>/dev/null || true
}

# --- The command ------------------------------------------------------------

# The command runs in its own session and process group, so that a signal can
# be forwarded once to it and to everything it started. Background jobs of a
# script ignore SIGINT and read /dev/null: `env --default-signal` and `<&0`
# undo that, so the command behaves as if run directly.
run_command() {
	setsid env --default-signal=INT,QUIT -- "$@" <&0 &
	CHILD_PID=$!
	# `wait` returns early when a trapped signal arrives: wait again until the
	# command has really ended, then collect its exit status.
	while kill -0 "$CHILD_PID" 2>/dev/null; do
		wait "$CHILD_PID" 2>/dev/null || true
	done
	local status=0
	wait "$CHILD_PID" || status=$?
	return "$status"
}

# Kill whatever the command left running in its process group.
stop_command_leftovers() {
	[[ -n $CHILD_PID ]] || return 0
	kill -TERM -- "-$CHILD_PID" 2>/dev/null || true
}

# --- Signals and cleanup ----------------------------------------------------

# While the command runs, pass the signal on to it and let run_command collect
# its exit status; before that, just exit (the EXIT trap cleans up).
on_signal() {
	local signal=$1 code=$2
	if [[ -n $CHILD_PID ]]; then
		kill -s "$signal" -- "-$CHILD_PID" 2>/dev/null || true
	else
		exit "$code"
	fi
}

cleanup() {
	local status=$?
	trap '' INT TERM HUP # a second Ctrl-C must not interrupt the cleanup
	stop_command_leftovers
	stop_redis
	stop_postgres
	if [[ -n $WORK_DIR ]]; then
		rm -rf "$WORK_DIR"
	fi
	exit "$status"
}

main() {
	if (($# == 0)); then
		echo "usage: $0 <command> [args...]" >&2
		exit 2
	fi
	trap cleanup EXIT
	trap 'on_signal INT 130' INT
	trap 'on_signal TERM 143' TERM
	trap 'on_signal HUP 129' HUP

	install_missing_packages
	ensure_pg_user
	make_work_dir
	init_postgres
	start_postgres
	start_redis

	export DATABASE_URL="postgres://$PG_USER@127.0.0.1:$PG_PORT/$PG_DB"
	export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
	export COCON_PG_BIN=$PG_BIN COCON_PG_DATA=$PG_DATA COCON_REDIS_PORT=$REDIS_PORT
	log "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

	local status=0
	run_command "$@" || status=$?
	exit "$status"
}

main "$@"
