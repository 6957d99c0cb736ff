#!/usr/bin/env bash
# The limit to compare with: bench/reference_server.py (websockets alone, no Django, no
# database, no channel layer) driven by the same client as the product.
#
#   bench/reference.sh --phones 1000 --rate 50 --duration 30
#
# Prints the same report as bench/run.sh, plus the reference server's CPU and memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
PY=.venv/bin/python
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY bench/reference_server.py --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
	(echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done
status=0
$PY bench/live_ideas.py --reference --url "http://127.0.0.1:$port" --server-pid "$server" "$@" || status=$?
read -r utime stime < <(awk '{print $14, $15}' "/proc/$server/stat")
echo "reference server (pid $server): RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status"), CPU $(awk -v t=$((utime + stime)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}') s"
exit "$status"
