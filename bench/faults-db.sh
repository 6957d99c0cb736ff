#!/usr/bin/env bash
# faults-db.sh — the live path when PostgreSQL fails under a vote: restarted, or turned
# read-only for a while, while phones keep posting ideas and spending points.
#
# Usage: bench/faults-db.sh [restart|read-only|disk-full] [live_ideas options…]
#        (defaults: --phones 100 --rate 4 --duration 30 --votes-per-phone 3, 1 Daphne)
#   FAULT_AT=10      seconds into the posting when the fault starts
#   DOWN_S=3         how long PostgreSQL stays stopped or read-only (disk full: 5)
#   WORKERS=1        Daphne processes
#
# disk-full (root only: it mounts a tmpfs): the vote table is moved, mid-run, to a
# tablespace on a 4 MB tmpfs (its pages 10 % full), which is then filled to the last byte. Inserts that need a
# new page get the kernel's ENOSPC, which PostgreSQL reports as SQLSTATE 53100
# (disk_full); the filler is deleted DOWN_S seconds later. Only that table's files are on
# the full disk: a full disk under the WAL makes PostgreSQL stop (PANIC), which clients
# see as a restart (`unavailable`).
#
# It runs scripts/with-services.sh (a throw-away PostgreSQL and Redis: never the shared
# ones) then bench/run.sh with one fault, which the load client triggers by running
# `bench/faults-db.sh --inject NAME`. Phones get `unavailable` (restart) or
# `storage_read_only` (read-only), retryable, keep the command and resend it with the same
# request_id. run.sh then checks: every acked idea stored exactly once, vote rows =
# acked votes = the big screen's last tally, and prints the retryable errors seen.
#
#        bench/faults-db.sh --inject pg-restart | read-only
#   One fault, now (needs COCON_PG_BIN, COCON_PG_DATA and DATABASE_URL from
#   with-services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "faults-db: $*" >&2; }
stamp() { date +%T.%N | cut -c1-12; }

as_pg_user() {
	if [[ $EUID -eq 0 ]]; then
		(cd "$(dirname "$COCON_PG_DATA")" && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_restart() {
	: "${COCON_PG_BIN:?run inside scripts/with-services.sh}" "${COCON_PG_DATA:?}"
	as_pg_user "$COCON_PG_BIN/pg_ctl" -D "$COCON_PG_DATA" stop -m fast -w -t 30 >/dev/null
	log "postgresql stopped ($(stamp))"
	sleep "${DOWN_S:-3}"
	as_pg_user "$COCON_PG_BIN/pg_ctl" -D "$COCON_PG_DATA" -l "$(dirname "$COCON_PG_DATA")/postgres.log" \
		start -w -t 60 >/dev/null
	log "postgresql started again ($(stamp))"
}

# psql as an administrator whose own session is never read-only.
admin_sql() {
	PGOPTIONS='-c default_transaction_read_only=off' psql "$DATABASE_URL" -qtAX -v ON_ERROR_STOP=1 -c "$1"
}

kick_connections() {
	admin_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()
		AND backend_type = 'client backend'"
}

read_only() {
	local db
	db=$(admin_sql "SELECT current_database()")
	admin_sql "ALTER DATABASE \"$db\" SET default_transaction_read_only = on"
	log "database $db read-only, $(kick_connections) connection(s) closed ($(stamp))"
	sleep "${DOWN_S:-3}"
	admin_sql "ALTER DATABASE \"$db\" SET default_transaction_read_only = off"
	log "database $db writable again, $(kick_connections) connection(s) closed ($(stamp))"
}

disk_full() {
	local dir=${FAULT_TMPFS:?set by bench/faults-db.sh disk-full} free
	admin_sql "CREATE TABLESPACE cocon_full LOCATION '$dir/ts'"
	# Pages filled to 10 % only (rewritten so by the move), so that a few votes already
	# need a new page, which the full disk refuses.
	admin_sql "ALTER TABLE participation_vote SET (fillfactor = 10)"
	admin_sql "ALTER TABLE participation_vote SET TABLESPACE cocon_full"
	# Fill what is left, to the last byte (dd stops at ENOSPC).
	dd if=/dev/zero of="$dir/filler" bs=64k 2>/dev/null || true
	dd if=/dev/zero of="$dir/filler-tail" bs=1 2>/dev/null || true
	free=$(df --output=avail -B1 "$dir" | tail -1 | tr -d ' ')
	log "vote table on a full tmpfs ($free bytes free) ($(stamp))"
	sleep "${DOWN_S:-5}"
	rm -f "$dir/filler" "$dir/filler-tail"
	log "filler deleted: $(df --output=avail -h "$dir" | tail -1 | tr -d ' ') free ($(stamp))"
}

if [[ ${1:-} == --inject ]]; then
	case ${2:-} in
	pg-restart) pg_restart ;;
	read-only) read_only ;;
	disk-full) disk_full ;;
	*)
		log "unknown fault '${2:-}': pg-restart, read-only or disk-full"
		exit 2
		;;
	esac
	exit 0
fi

MODE=${1:-restart}
case $MODE in
restart) FAULT=pg-restart ;;
read-only) FAULT=read-only ;;
disk-full) FAULT=disk-full ;;
*)
	log "usage: bench/faults-db.sh [restart|read-only|disk-full] [live_ideas options…]"
	exit 2
	;;
esac
shift || true

if [[ -z ${COCON_PG_DATA:-} ]]; then
	export COCON_SKIP_BROWSER=1
	if [[ $MODE != disk-full ]]; then
		exec scripts/with-services.sh bench/faults-db.sh "$MODE" "$@"
	fi
	# A small tmpfs for the full disk, owned by the server's user, unmounted once
	# with-services.sh has stopped PostgreSQL.
	[[ $EUID -eq 0 ]] || {
		log "disk-full mounts a tmpfs: run as root"
		exit 2
	}
	FAULT_TMPFS=$(mktemp -d -t cocon-full.XXXXXX)
	export FAULT_TMPFS
	chmod 755 "$FAULT_TMPFS"
	mount -t tmpfs -o size=4m,mode=0755 tmpfs "$FAULT_TMPFS"
	id -u postgres >/dev/null 2>&1 || useradd --system --user-group --no-create-home postgres
	install -d -o postgres -m 700 "$FAULT_TMPFS/ts"
	status=0
	scripts/with-services.sh bench/faults-db.sh "$MODE" "$@" || status=$?
	umount "$FAULT_TMPFS" && rmdir "$FAULT_TMPFS"
	exit "$status"
fi
status=0
bench/run.sh --workers "${WORKERS:-1}" --vote-items 6 --votes-per-person 5 \
	--phones 100 --rate 4 --duration 30 --votes-per-phone 3 \
	--fault "${FAULT_AT:-10}=$FAULT" --fault-command "bench/faults-db.sh --inject" "$@" || status=$?

# One line to quote (docs/reliability.md): the newest run's report.
report=$(ls -td bench/results/*/ | head -1)report.json
.venv/bin/python - "$report" "$FAULT" "$status" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
v, f = r.get("votes") or {}, (r.get("faults") or [{}])[0]
retryable = sum(r["retried"].values())
slowest = max((r["ack_latency_ms"] or {}).get("max") or 0, (v.get("ack_latency_ms") or {}).get("max") or 0)
print(
    f"\nSUMMARY {sys.argv[2]}: {r['ideas_sent']} ideas + {v.get('sent', 0)} votes sent; "
    f"acked {r['ideas_acked']} + {v.get('acked', 0)}, final errors {sum(r['errors'].values())}; "
    f"retryable errors {retryable} {r['retried'] or ''}; commands retried "
    f"{r['ideas_retried']} ideas "
    f"+ {v.get('retried', 0)} votes; big screen's storage alerts {r.get('screen_notices') or 'none'}; "
    f"fault took {f.get('took_s')} s, live delivery again {f.get('live_delivery_again_s')} s after it "
    f"began, slowest send → ack {slowest / 1000:.1f} s; db: duplicates "
    f"{(r.get('db') or {}).get('duplicates')}, acked missing {(r.get('db') or {}).get('acked_missing')}; "
    f"exit {sys.argv[3]}"
)
PY
exit "$status"
