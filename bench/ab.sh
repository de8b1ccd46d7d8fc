#!/usr/bin/env bash
# A/B comparison of two supervisor variants side by side: both run at once (each with its own sample workers; the
# idle one costs nothing), and wrk alternates between them, so both see the same machine minute by minute. Prints each
# round's requests/s and the median B/A ratio. Run it twice with A and B swapped: the second of each pair runs right
# after the first, which biases the ratio by a few percent (an identical pair measures about 0.9x-1.0x).
#
# Usage: bench/ab.sh [--a-env "K=V ..."] [--b-env "K=V ..."] [--a-config JSON] [--b-config JSON]
#                    [--a-build B] [--b-build B] [--rounds N] [--duration S] [--warmup S] [--no-build]
#   --a-env/--b-env      environment variables for that supervisor (its workers inherit them)
#   --a-config/--b-config  JSON merged into that supervisor's config (objects merged key by key)
#   --a-build/--b-build  framework (default: `dotnet supervisor.dll`, as `dotnet run` and the .NET tool run it),
#                        self-contained (the trimmed build of -p:PublishProfile=SelfContained, published first), or
#                        the path of another build's supervisor.dll (e.g. an older commit checked out with
#                        `git worktree add /tmp/old COMMIT` and built with `dotnet build /tmp/old/src/Supervisor -c Release`)
# Examples:
#   bench/ab.sh --b-config '{"accessLog": {"enabled": true}}'
#   bench/ab.sh --b-env "DOTNET_gcServer=1"
#   bench/ab.sh --b-build self-contained
#   bench/ab.sh --a-build /tmp/old/src/Supervisor/bin/Release/net10.0/supervisor.dll
# Needs wrk and python3 (bench/run.sh installs wrk).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
results="$repo/bench/results"
helper="$repo/bench/bench_helper.py"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
a_env="" b_env="" a_config="{}" b_config="{}" a_build=framework b_build=framework rounds=6 duration=3 warmup=15 build=1

die() { echo "ab.sh: $*" >&2; exit 1; }
log() { echo "[ab $(date +%H:%M:%S)] $*" >&2; }
while (( $# )); do
  case $1 in
    --a-env) a_env=$2; shift 2 ;;
    --b-env) b_env=$2; shift 2 ;;
    --a-config) a_config=$2; shift 2 ;;
    --b-config) b_config=$2; shift 2 ;;
    --a-build) a_build=$2; shift 2 ;;
    --b-build) b_build=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for b in "$a_build" "$b_build"; do
  [[ $b == framework || $b == self-contained || ( $b == *.dll && -f $b ) ]] ||
    die "--a-build/--b-build must be framework, self-contained or the path of an existing supervisor.dll, got '$b'"
done
command -v wrk >/dev/null || die "wrk not found (bench/run.sh installs it)"
mkdir -p "$results"
if (( build )); then
  dotnet build src/Supervisor -c Release -nologo -v quiet >"$results/ab-build.log" 2>&1 || { tail -n 20 "$results/ab-build.log" >&2; die "the build failed"; }
fi
if [[ "$a_build $b_build" == *self-contained* ]]; then
  publish_self_contained "$build" "$results/ab-publish.log"
fi

cleanup() {
  local status=$?
  trap '' INT TERM
  stop_everything_started || { (( status )) || status=1; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {
  local name=$1 env=$2 merge=$3 build=$4 port config="$results/ab-$1.json"
  python3 "$helper" make-config supervisor.json "$config"
  python3 "$helper" merge-config "$config" "$merge" "ab-$name"
  port=$(python3 "$helper" free-port)
  local command=(dotnet src/Supervisor/bin/Release/net10.0/supervisor.dll)
  [[ $build == self-contained ]] && command=("$results/self-contained/supervisor")
  [[ $build == *.dll ]] && command=(dotnet "$build")
  # shellcheck disable=SC2086 # $env is a list of K=V words
  env $env "${command[@]}" start --config "$config" --workers "$(nproc)" \
    --listen "http://127.0.0.1:$port" >"$results/ab-$name.log" 2>&1 &
  # It stops its workers gracefully after SIGTERM: 30 s before SIGKILL.
  track_started "$name" "$!" 30
  local deadline=$((SECONDS + patience))
  until python3 "$helper" get "http://127.0.0.1:$port/" "Hello from worker" >/dev/null; do
    (( SECONDS < deadline )) || { tail -n 20 "$results/ab-$name.log" >&2; die "supervisor $name did not answer within $patience s"; }
    sleep 0.5
  done
  started_port=$port
}

rps() { wrk -t1 -c64 -d"$2"s "http://127.0.0.1:$1/" | awk '/Requests\/sec/ { print int($2) }'; }

start a "$a_env" "$a_config" "$a_build"
port_a=$started_port
start b "$b_env" "$b_config" "$b_build"
port_b=$started_port
echo "A: $a_build build, env [$a_env] config $a_config on port $port_a"
echo "B: $b_build build, env [$b_env] config $b_config on port $port_b"
wrk -t1 -c64 -d"$warmup"s "http://127.0.0.1:$port_a/" >/dev/null
wrk -t1 -c64 -d"$warmup"s "http://127.0.0.1:$port_b/" >/dev/null

ratios=()
for (( round = 1; round <= rounds; round++ )); do
  a=$(rps "$port_a" "$duration")
  b=$(rps "$port_b" "$duration")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
  ratios+=("$ratio")
  echo "round $round: A $a req/s, B $b req/s, B/A $ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "median B/A: %.2f\n", (v[int((NR + 1) / 2)] + v[int((NR + 2) / 2)]) / 2 }'
