#!/usr/bin/env bash
# run.sh — one load-test run of the live path on this machine.
#
# Usage: scripts/with-services.sh bench/run.sh [--workers K] [--private]
#          [--vote-items N [--votes-per-person K]] [live_ideas options…]
#        (or `make bench BENCH_ARGS="--phones 300 --rate 5 --duration 30"`)
#
# with-services.sh provides a throw-away PostgreSQL and Redis (DATABASE_URL,
# REDIS_URL); this script migrates, starts K Daphne processes on free loopback
# ports, creates a live workshop through the project's actions, runs
# bench/live_ideas.py against all of them, then reports each Daphne's memory and
# CPU (plus Redis and PostgreSQL CPU) and stops the Daphnes on every exit path.
# Logs and the JSON figures go to bench/results/<timestamp>/ (git-ignored).
# Exit code: live_ideas's (0 = no error, every idea acked and shown, no phone missing).
set -euo pipefail

cd "$(dirname "$0")/.."
readonly PY=.venv/bin/python
readonly DAPHNE=.venv/bin/daphne
# The ASGI application to serve; bench/asgi_probe.py wraps it for experiments.
readonly APP=${BENCH_ASGI_APP:-config.asgi:application}
readonly HEALTH_ATTEMPTS=150 # × 0.2 s
readonly SAMPLE_EVERY=0.5     # seconds between samples of PostgreSQL connections
readonly SAMPLE_MAX=7200      # at most an hour of samples

: "${DATABASE_URL:?run me as scripts/with-services.sh bench/run.sh [args]}"
: "${REDIS_URL:?run me as scripts/with-services.sh bench/run.sh [args]}"

log() { echo "bench: $*" >&2; }

WORKERS=1
SETUP_ARGS=() # --private: the board collects notes hidden until the facilitator reveals
PASS=()       # everything else goes to live_ideas.py
while (($# > 0)); do
	case $1 in
	--private | --journey)
		SETUP_ARGS+=("$1")
		shift
		;;
	--vote-items | --votes-per-person)
		SETUP_ARGS+=("$1" "${2:?$1 needs a number}")
		shift 2
		;;
	--workers)
		WORKERS=${2:?--workers needs a number}
		shift 2
		;;
	--workers=*)
		WORKERS=${1#*=}
		shift
		;;
	*)
		PASS+=("$1")
		shift
		;;
	esac
done
[[ $WORKERS =~ ^[1-9][0-9]?$ ]] || {
	log "--workers must be 1..99"
	exit 2
}

# Hundreds of sockets, on both ends, in this one session.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

SECRET_KEY="bench-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export SECRET_KEY ALLOWED_HOSTS=127.0.0.1,localhost SECURE_COOKIES=false DEBUG=false
export DJANGO_SETTINGS_MODULE=config.settings
# Every simulated phone comes from 127.0.0.1: lift the per-address socket cap, which is
# there for one hostile machine, not for a load generator (docs/hostile-inputs.md).
export WS_MAX_SOCKETS_PER_ADDRESS="${WS_MAX_SOCKETS_PER_ADDRESS:-100000}"

OUT=bench/results/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$OUT"
log "results in $OUT"

# The code measured: the commit, plus a digest of uncommitted changes and new files (the
# tree may be edited between runs; identical digests mean identical code).
{
	echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)"
	echo "uncommitted changes sha256 $({
		git --no-optional-locks diff HEAD
		git ls-files --others --exclude-standard -z | xargs -0 -r cat
	} 2>/dev/null | sha256sum | cut -c1-12)"
	git --no-optional-locks status --short 2>/dev/null | grep -v ' bench/' || true
} >"$OUT/code.txt"
log "code: $(head -2 "$OUT/code.txt" | tr '\n' ' ')"

PIDS=()
PORTS=()
SAMPLER=""
cleanup() {
	local status=$? pid i
	[[ -z $SAMPLER ]] || kill -TERM "$SAMPLER" 2>/dev/null || true
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		for ((i = 0; i < 50; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	exit "$status"
}
trap cleanup EXIT

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# CPU seconds (user + system) of one process, from /proc/PID/stat fields 14 and 15.
proc_cpu() {
	local ticks
	ticks=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}')
	[[ -n $ticks ]] || ticks=0 # the process just exited
	awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}

proc_rss() {
	awk '/^VmRSS/ {print $2 " " $3}' "/proc/$1/status"
}

# PostgreSQL: the postmaster and all its children (backends, walwriter…).
pg_cpu() {
	local master total=0 pid
	[[ -n ${COCON_PG_DATA:-} && -r $COCON_PG_DATA/postmaster.pid ]] || {
		echo "?"
		return
	}
	master=$(head -1 "$COCON_PG_DATA/postmaster.pid")
	for pid in $master $(pgrep -P "$master" || true); do
		[[ -r /proc/$pid/stat ]] && total=$(awk -v a="$total" -v b="$(proc_cpu "$pid")" 'BEGIN {print a + b}')
	done
	printf "%.2f" "$total"
}

# Every SAMPLE_EVERY s: time, PostgreSQL client connections, each Daphne's thread count.
# A connection leak or a burst of threads shows in the maxima printed at the end.
sample_resources() {
	local i n threads
	for ((i = 0; i < SAMPLE_MAX; i++)); do
		n=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_stat_activity
			WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null || echo "?")
		threads=""
		for pid in "${PIDS[@]}"; do
			threads+=" $(awk '/^Threads/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "?")"
		done
		echo "$(date +%s.%N) $n$threads"
		sleep "$SAMPLE_EVERY"
	done
}

# Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat:
# what the bench's own processes do not account for was used by something else.
machine_busy() {
	awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat
}

redis_cpu() {
	redis-cli -u "$REDIS_URL" info cpu 2>/dev/null |
		awk -F: '/^used_cpu_(user|sys):/ {t += $2} END {printf "%.2f", t}'
}

log "migrating"
"$PY" manage.py migrate --noinput -v 0

URLS=()
for ((n = 1; n <= WORKERS; n++)); do
	port=$(free_port)
	"$DAPHNE" -b 127.0.0.1 -p "$port" --websocket-max-message-size 1048576 \
		"$APP" >"$OUT/daphne-$n.log" 2>&1 &
	PIDS+=($!)
	PORTS+=("$port")
	URLS+=(--url "http://127.0.0.1:$port" --server-pid "$!")
done

for ((n = 0; n < WORKERS; n++)); do
	for ((i = 0; i < HEALTH_ATTEMPTS; i++)); do
		curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[n]}/sante/" 2>/dev/null && break
		kill -0 "${PIDS[n]}" 2>/dev/null || {
			log "Daphne $((n + 1)) died:"
			cat "$OUT/daphne-$((n + 1)).log" >&2
			exit 1
		}
		sleep 0.2
	done
	((i < HEALTH_ATTEMPTS)) || {
		log "Daphne $((n + 1)) never answered /sante/"
		exit 1
	}
done
log "$WORKERS Daphne process(es) serving $APP up on ports ${PORTS[*]}"

PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
SETUP=$("$PY" bench/setup_workshop.py --username bench-facilitator --password "$PASSWORD" "${SETUP_ARGS[@]}")
echo "$SETUP" >"$OUT/workshop.json"
# On a journey map (--journey), phones post their cards and ratings to it.
read -r WORKSHOP_ID JOIN_CODE ACTIVITY_ID < <("$PY" -c \
	'import json, sys; d = json.load(sys.stdin); print(d["workshop_id"], d["join_code"], d.get("journey_activity_id") or d["activity_id"])' \
	<<<"$SETUP")
log "workshop $WORKSHOP_ID (code $JOIN_CODE), activity $ACTIVITY_ID"

declare -A CPU_BEFORE
for ((n = 0; n < WORKERS; n++)); do
	CPU_BEFORE[$n]=$(proc_cpu "${PIDS[n]}")
done
PG_BEFORE=$(pg_cpu)
REDIS_BEFORE=$(redis_cpu)
MACHINE_BEFORE=$(machine_busy)
WALL_BEFORE=$(date +%s.%N)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

sample_resources >"$OUT/resources.txt" &
SAMPLER=$!

# For fault commands run by the client (bench/faults.sh --inject): which processes and
# where the results go.
export BENCH_DAPHNE_PIDS="${PIDS[*]}" BENCH_OUT=$OUT

status=0
"$PY" bench/live_ideas.py "${URLS[@]}" --workshop-id "$WORKSHOP_ID" --join-code "$JOIN_CODE" \
	--activity-id "$ACTIVITY_ID" --user bench-facilitator --password "$PASSWORD" \
	--setup "$OUT/workshop.json" --json "$OUT/report.json" "${PASS[@]}" || status=$?

# Every acked idea must be stored exactly once: the rows of the workshop, by idea key.
echo
echo "=== Database: workshop $WORKSHOP_ID ==="
if psql "$DATABASE_URL" -tA -c "SELECT coalesce(substring(c.body from '^\[([^]]+)\]'), '')
	FROM participation_contribution c JOIN ateliers_activity a ON a.id = c.activity_id
	WHERE a.workshop_id = $WORKSHOP_ID" >"$OUT/db_keys.txt" && [[ -s $OUT/report.json ]]; then
	db_status=0
	"$PY" bench/db_check.py "$OUT/report.json" "$OUT/db_keys.txt" || db_status=$?
	((db_status == 0 || status != 0)) || status=$db_status
else
	log "could not read the contributions or the report: no database check"
fi

# Every acked vote (or stage rating) must be one row, and the big screen's last tally (or
# curve) must count them all. Usage: counted_check LABEL TABLE ACTIVITY_ID
counted_check() {
	local rows
	rows=$(psql "$DATABASE_URL" -tA -c "SELECT count(*) FROM $2 WHERE activity_id = $3")
	"$PY" - "$OUT/report.json" "$rows" "$1" <<'PY' || status=1
import json, sys
votes = json.load(open(sys.argv[1])).get("votes") or {}
rows, label = int(sys.argv[2]), sys.argv[3]
ok = votes.get("acked") == rows == votes.get("screen_counted")
print(f"{label:<17}acked {votes.get('acked')}, rows in the database {rows}, counted on "
      f"the big screen {votes.get('screen_counted')}: {'EQUAL' if ok else 'MISMATCH'}")
sys.exit(0 if ok else 1)
PY
}
VOTE_ID=$("$PY" -c 'import json, sys; print(json.load(sys.stdin).get("vote_activity_id") or "")' <<<"$SETUP")
if [[ -s $OUT/report.json ]]; then
	[[ -z $VOTE_ID ]] || counted_check votes participation_vote "$VOTE_ID"
	! grep -q '"journey"' <<<"$SETUP" || counted_check "stage ratings" participation_stagefeeling "$ACTIVITY_ID"
fi

MACHINE_AFTER=$(machine_busy)
WALL_AFTER=$(date +%s.%N)

echo
echo "=== Server processes (CPU: during the client run / since start) ==="
DAPHNE_DELTA=0
for ((n = 0; n < WORKERS; n++)); do
	pid=${PIDS[n]}
	if [[ -r /proc/$pid/stat ]]; then
		cpu=$(proc_cpu "$pid")
		delta=$(awk -v a="$cpu" -v b="${CPU_BEFORE[$n]}" 'BEGIN {printf "%.2f", a - b}')
		DAPHNE_DELTA=$(awk -v a="$DAPHNE_DELTA" -v b="$delta" 'BEGIN {print a + b}')
		echo "daphne $((n + 1)) (pid $pid, port ${PORTS[n]}): RSS $(proc_rss "$pid"), CPU ${delta} s / ${cpu} s"
	else
		echo "daphne $((n + 1)) (pid $pid): EXITED during the run"
	fi
done
kill -TERM "$SAMPLER" 2>/dev/null || true
SAMPLER=""
awk '$2 != "?" {if ($2 > pg) pg = $2; for (i = 3; i <= NF; i++) if ($i > t[i]) t[i] = $i}
	END {printf "postgresql: at most %d client connections during the run", pg
		for (i = 3; i <= NF; i++) printf "; daphne %d: at most %d threads", i - 2, t[i]
		print ""}' "$OUT/resources.txt"
PG_AFTER=$(pg_cpu)
REDIS_AFTER=$(redis_cpu)
CLIENT_CPU=$("$PY" -c 'import json, sys; c = json.load(open(sys.argv[1]))["client"]; print(c["cpu_user_s"] + c["cpu_system_s"])' \
	"$OUT/report.json" 2>/dev/null || echo 0)
awk -v a="$PG_AFTER" -v b="$PG_BEFORE" -v c="$REDIS_AFTER" -v d="$REDIS_BEFORE" \
	-v m1="$MACHINE_BEFORE" -v m2="$MACHINE_AFTER" -v w1="$WALL_BEFORE" -v w2="$WALL_AFTER" \
	-v dd="$DAPHNE_DELTA" -v cl="$CLIENT_CPU" -v cores="$(nproc)" 'BEGIN {
	pg = a - b; rd = c - d; busy = m2 - m1; wall = w2 - w1
	printf "postgresql (all processes): CPU %.2f s during the run\n", pg
	if (rd < 0) { printf "redis: restarted during the run, CPU %.2f s since\n", c; rd = c }
	else printf "redis: CPU %.2f s during the run\n", rd
	printf "machine: %.1f CPU-s busy of %.1f (%d cores × %.1f s wall); daphne %.1f + postgresql %.1f", busy, cores * wall, cores, wall, dd, pg
	printf " + redis %.1f + load client %.1f; others (the psql sampler, other users) %.1f\n", rd, cl, busy - dd - pg - rd - cl
}'
echo "load average: before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "=== Daphne logs: warnings, errors, exceptions (full logs in $OUT) ==="
# Log records and the last line of each traceback, timestamps and ports blanked so
# that repeats group together.
for ((n = 1; n <= WORKERS; n++)); do
	count=$(grep -c 'Traceback' "$OUT/daphne-$n.log" || true)
	echo "daphne $n: $count traceback(s)"
	grep -E ' (ERROR|CRITICAL|WARNING) |^[A-Za-z_.]+(Error|Exception|Warning)\b' "$OUT/daphne-$n.log" |
		sed -E 's/^[0-9]{4}-[0-9-]+ [0-9:,]+ //; s/port [0-9]+/port N/g' |
		sort | uniq -c | sort -rn | head -8 || true
done
exit "$status"
