#!/usr/bin/env bash
# How long after `kill -9` of a worker does its replacement (same WORKER_ID, new PID) answer through the front end?
# Runs the sample worker with 2 workers (bench/restart-latency.json: the shipped config, except that a worker is stable
# after 1 s) on a free loopback port, kills worker 1 ROUNDS times, 2 s apart, and prints each time and the median.
# Usage: bench/restart-latency.sh [ROUNDS]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}

dotnet build src/Supervisor -c Release -v quiet -nologo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
mkdir -p bench/results
dotnet src/Supervisor/bin/Release/net10.0/supervisor.dll start --config bench/restart-latency.json --listen "http://127.0.0.1:$port" >"$log" 2>&1 &
supervisor=$!
trap 'kill -TERM $supervisor 2>/dev/null; wait $supervisor 2>/dev/null; rm -f "$log"' EXIT

now_ms() { date +%s%3N; }
pid_of_worker1() {
  # Round-robin over two workers: two requests reach both.
  local answer pid
  for _ in 1 2 3 4; do
    answer=$(curl -s -m 2 "http://127.0.0.1:$port/" || true)
    pid=$(sed -n 's/^Hello from worker 1 (pid \([0-9]*\)).*/\1/p' <<<"$answer")
    if [ -n "$pid" ]; then echo "$pid"; return; fi
  done
}

deadline=$(( $(now_ms) + 60000 ))
until [ -n "$(pid_of_worker1 || true)" ]; do
  [ "$(now_ms)" -lt "$deadline" ] || { echo "workers did not start; log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done

times=()
for round in $(seq 1 "$rounds"); do
  old=$(pid_of_worker1)
  [ -n "$old" ] || { echo "worker 1 is not answering" >&2; exit 1; }
  start=$(now_ms)
  kill -9 "$old"
  deadline=$(( start + 30000 ))
  while :; do
    new=$(pid_of_worker1 || true)
    if [ -n "$new" ] && [ "$new" != "$old" ]; then break; fi
    [ "$(now_ms)" -lt "$deadline" ] || { echo "round $round: no replacement within 30 s" >&2; exit 1; }
    sleep 0.01
  done
  elapsed=$(( $(now_ms) - start ))
  times+=("$elapsed")
  echo "round $round: worker 1 pid $old killed, pid $new serving after ${elapsed} ms"
  # Longer than restart.resetAfter, so the next kill hits a stable worker.
  sleep 2
done

median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median kill -9 -> replacement serving: ${median} ms over $rounds rounds (restart.delay 100ms ±20% jitter included)"
