#!/usr/bin/env bash
# faults.sh — the live path under faults: Redis restarted mid-burst, then one of two
# Daphne processes killed with SIGKILL, while phones keep posting.
#
# Usage: bench/faults.sh [live_ideas options…]
#        (defaults: --phones 300 --rate 10 --duration 40; later options win)
#   FAULT_REDIS_AT=10   seconds into the posting when Redis is shut down (nosave); off: no
#   REDIS_DOWN_S=2      how long it stays down before it is started again
#   FAULT_KILL_AT=25    seconds into the posting when the last Daphne gets SIGKILL; off: no
# Right before each fault, 30 phones post an idea at once (--fault-burst N to change).
#
# It runs scripts/with-services.sh bench/run.sh --workers 2 with two faults; the load
# client runs `bench/faults.sh --inject NAME` at each one's time and records it. Phones
# whose server dies reconnect to the other one (the client fails over to the next
# --url, as a proxy would), resync, and resend unacked ideas with the same request_id;
# the big screen is on the first process, which survives. run.sh then checks the
# database: every acked idea stored exactly once.
#
#        bench/faults.sh --inject redis-restart | kill-worker
#   One fault, now (needs COCON_REDIS_PORT from with-services.sh and BENCH_DAPHNE_PIDS
#   from run.sh): shut Redis down and start it again on the same port with the options
#   with-services.sh gave it (its dir and log file are read from the running server);
#   or SIGKILL the last Daphne process run.sh started.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "faults: $*" >&2; }

redis_answers() {
	[[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]]
}

redis_restart() {
	local port=${COCON_REDIS_PORT:?run inside scripts/with-services.sh} dir logfile i
	dir=$(redis-cli -p "$port" config get dir | sed -n 2p)
	logfile=$(redis-cli -p "$port" config get logfile | sed -n 2p)
	[[ -n $dir && -n $logfile ]] || {
		log "cannot read Redis's dir and logfile on port $port"
		return 1
	}
	redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
	for ((i = 0; i < 50; i++)); do
		redis_answers "$port" || break
		sleep 0.1
	done
	log "redis on port $port down ($(date +%T.%N | cut -c1-12))"
	sleep "${REDIS_DOWN_S:-2}"
	# As scripts/with-services.sh starts it; in its own session, so that it outlives this
	# command; with-services.sh stops it by port at the end.
	# shellcheck disable=SC2094
	setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
		--dir "$dir" --logfile "$logfile" </dev/null >>"$logfile" 2>&1 &
	for ((i = 0; i < 100; i++)); do
		if redis_answers "$port"; then
			log "redis on port $port up again ($(date +%T.%N | cut -c1-12))"
			return 0
		fi
		sleep 0.1
	done
	log "redis did not come back on port $port"
	return 1
}

kill_worker() {
	local pids
	read -r -a pids <<<"${BENCH_DAPHNE_PIDS:?run through bench/run.sh}"
	((${#pids[@]} >= 2)) || {
		log "need 2 Daphne processes to kill one, have ${#pids[@]}"
		return 1
	}
	local victim=${pids[-1]}
	kill -KILL "$victim"
	log "daphne ${#pids[@]} (pid $victim) killed with SIGKILL ($(date +%T.%N | cut -c1-12))"
}

if [[ ${1:-} == --inject ]]; then
	case ${2:-} in
	redis-restart) redis_restart ;;
	kill-worker) kill_worker ;;
	*)
		log "unknown fault '${2:-}': redis-restart or kill-worker"
		exit 2
		;;
	esac
	exit 0
fi

if [[ -z ${DATABASE_URL:-} ]]; then
	export COCON_SKIP_BROWSER=1
	exec scripts/with-services.sh bench/faults.sh "$@"
fi
FAULTS=()
[[ ${FAULT_REDIS_AT:-10} == off ]] || FAULTS+=(--fault "${FAULT_REDIS_AT:-10}=redis-restart")
[[ ${FAULT_KILL_AT:-25} == off ]] || FAULTS+=(--fault "${FAULT_KILL_AT:-25}=kill-worker")
exec bench/run.sh --workers 2 --phones 300 --rate 10 --duration 40 "${FAULTS[@]}" \
	--fault-command "bench/faults.sh --inject" "$@"
