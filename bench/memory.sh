#!/usr/bin/env bash
# The supervisor's own memory over time, idle: both builds (framework-dependent and self-contained) run side by side,
# each with its own copy of the shipped config and its own sample workers, and get no request at all. Each
# supervisor's VmRSS, private memory (RssAnon + RssShmem) and PSS are read from /proc at 0:05, 0:30 and 1:00 after its
# workers are ready, then every minute up to --minutes. bench/run.sh reads it once (at 0:05); idle, it still grows
# (health checks every 5 s, the JIT's tier-1 recompilation, the GC's gen0 budget filling before the first GC).
# Writes a Markdown table to stdout and bench/results/memory-<UTC timestamp>.md. See bench/README.md, and --help.
set -euo pipefail

command_line=$(printf '%q ' "$0" "$@")
command_line=${command_line% }

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
results="$repo/bench/results"
helper="$repo/bench/bench_helper.py"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
all_builds=(framework self-contained)

workers=2
minutes=5
builds=("${all_builds[@]}")
build=1

usage() {
  cat <<EOF
Usage: bench/memory.sh [options]

Starts the supervisor builds side by side over their own sample workers, sends them no request, and samples each
supervisor's resident memory (VmRSS, private = RssAnon + RssShmem, PSS from smaps_rollup) at 0:05, 0:30 and 1:00
after its workers are ready, then every minute up to --minutes. Prints a Markdown table and writes it to
bench/results/memory-<UTC timestamp>.md; logs, configs and the raw samples go to bench/results/memory-<UTC timestamp>/.

Options:
  --minutes M        sample up to M minutes after the workers are ready (default 5): 0:05, 0:30, 1:00, 2:00, ... M:00
  --workers N        workers behind each supervisor (default 2)
  --builds a,b       which builds (default: framework,self-contained):
                       framework       dotnet src/Supervisor/bin/Release/net10.0/supervisor.dll (after dotnet build
                                       src/Supervisor -c Release): what 'dotnet run' and the .NET tool run
                       self-contained  bench/results/self-contained/supervisor (after dotnet publish src/Supervisor
                                       -p:PublishProfile=SelfContained -o bench/results/self-contained)
  --no-build         do not build or publish (use the binaries already there)
  --help             this text
EOF
}

die() { echo "memory.sh: $*" >&2; exit 1; }
log() { echo "[memory $(date +%H:%M:%S)] $*" >&2; }

positive_int() { [[ $2 =~ ^[0-9]+$ ]] && (( 10#$2 >= 1 )) || die "$1 needs a positive integer, got '$2'"; }

parse_args() {
  local list=() b k seen
  while (( $# )); do
    case $1 in
      --minutes) [[ $# -ge 2 ]] || die "--minutes needs a value"; positive_int "$1" "$2"; minutes=$((10#$2)); shift 2 ;;
      --workers) [[ $# -ge 2 ]] || die "--workers needs a value"; positive_int "$1" "$2"; workers=$((10#$2)); shift 2 ;;
      --builds) [[ $# -ge 2 ]] || die "--builds needs a value"; IFS=, read -r -a list <<<"$2"; shift 2
        for b in "${list[@]}"; do
          [[ $b == framework || $b == self-contained ]] || die "--builds: unknown build '$b' (builds: ${all_builds[*]})"
        done
        # The canonical order, each once.
        builds=()
        for k in "${all_builds[@]}"; do
          seen=0
          for b in "${list[@]}"; do [[ $b == "$k" ]] && seen=1; done
          (( seen )) && builds+=("$k")
        done
        (( ${#builds[@]} )) || die "--builds: no builds" ;;
      --no-build) build=0; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown option '$1'" ;;
    esac
  done
  # Seconds after ready: 0:05, 0:30, 1:00, then every minute up to M:00.
  offsets=(5 30 60)
  local m
  for (( m = 2; m <= minutes; m++ )); do offsets+=($((m * 60))); done
}

wants() { local b; for b in "${builds[@]}"; do [[ $b == "$1" ]] && return 0; done; return 1; }

build_project() {
  command -v dotnet >/dev/null || die "dotnet not found: install the .NET 10 SDK"
  command -v python3 >/dev/null || die "python3 not found"
  if (( build )); then
    # The sample worker (which both builds run) is built with the supervisor.
    log "dotnet build src/Supervisor -c Release"
    if ! dotnet build src/Supervisor -c Release -nologo -v quiet >"$run_dir/build.log" 2>&1; then
      tail -n 30 "$run_dir/build.log" >&2
      die "the build failed (log: $run_dir/build.log)"
    fi
  fi
  [[ -f src/Worker/bin/Release/net10.0/Worker.dll ]] || die "src/Worker/bin/Release/net10.0/Worker.dll is missing (run without --no-build)"
  if wants framework; then
    [[ -f src/Supervisor/bin/Release/net10.0/supervisor.dll ]] || die "src/Supervisor/bin/Release/net10.0/supervisor.dll is missing (run without --no-build)"
  fi
  if wants self-contained; then
    publish_self_contained "$build" "$run_dir/publish.log"
  fi
}

# Sets the caller's array "command" to the command line of a build's supervisor.
set_command() {
  case $1 in
    framework) command=(dotnet "$repo/src/Supervisor/bin/Release/net10.0/supervisor.dll") ;;
    self-contained) command=("$results/self-contained/supervisor") ;;
  esac
}

# ------------------------------------------------------------------------------------------------- processes

# Sleep until the given time (ms since the epoch), in steps of at most 1 s, so that Ctrl+C or a SIGTERM is handled at
# once rather than after a minute-long sleep.
sleep_until() {
  local left
  while :; do
    left=$(( $1 - $(now_ms) ))
    (( left > 0 )) || return 0
    (( left > 1000 )) && left=1000
    sleep "$(awk -v ms="$left" 'BEGIN { printf "%.3f", ms / 1000 }')"
  done
}

cleanup_done=0
cleanup() {
  local status=$?
  (( cleanup_done )) && exit "$status"
  cleanup_done=1
  trap '' INT TERM
  stop_everything_started || { (( status )) || status=1; }
  exit "$status"
}

# ------------------------------------------------------------------------------------------------------ memory

# m:ss
clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# ------------------------------------------------------------------------------------------------------- main

declare -A pid_of=() port_of=() config_of=() ready_ms=() workers_at_ready=()
declare -A rss=() private=() pss=()

start_supervisor() {
  local name=$1 dir="$run_dir/$1" port command=()
  mkdir -p "$dir"
  # Its own copy of the shipped config in its own folder: its own pid file, control socket and users.db.
  python3 "$helper" make-config supervisor.json "$dir/supervisor.json"
  python3 "$helper" merge-config "$dir/supervisor.json" '{}' "memory-$name"
  port=$(python3 "$helper" free-port)
  set_command "$name"
  "${command[@]}" start --config "$dir/supervisor.json" --workers "$workers" --listen "http://127.0.0.1:$port" \
    >"$dir/supervisor.log" 2>&1 9>&- &
  # It stops its workers gracefully after SIGTERM (worker.stopTimeout each, 10 s as shipped): 30 s before SIGKILL.
  track_started "$name" "$!" 30
  pid_of[$name]=$!
  port_of[$name]=$port
  config_of[$name]=$dir/supervisor.json
  log "started $name (pid $!): ${command[*]/#$repo\//} start --config ${dir#$repo/}/supervisor.json --workers $workers --listen http://127.0.0.1:$port"
}

# Poll `supervisor status --json` of every build not yet ready (the control socket only: no HTTP request) until all
# have their workers ready; note the moment each became ready. $patience s at most.
wait_ready() {
  local deadline name out line status_pid pending command=()
  deadline=$(( $(now_ms) + patience * 1000 ))
  while :; do
    pending=0
    for name in "${builds[@]}"; do
      [[ -n ${ready_ms[$name]:-} ]] && continue
      if ! alive "${pid_of[$name]}"; then
        tail -n 30 "$run_dir/$name/supervisor.log" >&2
        die "the $name supervisor exited during start (log: $run_dir/$name/supervisor.log)"
      fi
      set_command "$name"
      line="no status yet"
      if out=$(timeout 10 "${command[@]}" status --json --config "${config_of[$name]}" 2>/dev/null) &&
         line=$(python3 "$helper" ready "$workers" <<<"$out"); then
        ready_ms[$name]=$(now_ms)
        echo "$out" >"$run_dir/$name/status-ready.json"
        read -r status_pid _ <<<"$line"
        [[ $status_pid == "${pid_of[$name]}" ]] || die "the $name supervisor's status names pid $status_pid, started pid ${pid_of[$name]}"
        workers_at_ready[$name]=$(descendants "${pid_of[$name]}" | tr '\n' ' ')
        log "$name: $workers worker(s) ready (supervisor pid ${pid_of[$name]}, workers ${workers_at_ready[$name]% })"
      else
        pending=1
        last_status[$name]=$line
      fi
    done
    (( pending )) || return 0
    if (( $(now_ms) > deadline )); then
      for name in "${builds[@]}"; do
        [[ -n ${ready_ms[$name]:-} ]] && continue
        tail -n 30 "$run_dir/$name/supervisor.log" >&2
        die "the $name supervisor's $workers workers were not ready within $patience s (last status: ${last_status[$name]})"
      done
    fi
    sleep 0.5
  done
}
declare -A last_status=()

# Read one build's supervisor at its next scheduled time; raw values to samples.tsv.
sample() {
  local name=$1 i=$2 pid=${pid_of[$1]} at r p s
  if ! alive "$pid"; then
    tail -n 30 "$run_dir/$name/supervisor.log" >&2
    die "the $name supervisor (pid $pid) exited while idle (log: $run_dir/$name/supervisor.log)"
  fi
  r=$(rss_kb "$pid"); p=$(private_kb "$pid"); s=$(pss_kb "$pid")
  at=$(( $(now_ms) - ${ready_ms[$name]} ))
  rss[$name,$i]=$r; private[$name,$i]=$p; pss[$name,$i]=$s
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${offsets[$i]}" "$at" "$r" "$p" "$s" \
    "$(grep -E '^(RssAnon|RssFile|RssShmem|Threads):' "/proc/$pid/status" | awk '{ printf "%s%s ", $1, $2 }')" \
    "$(shared_runtime_users | cut -d' ' -f1)" >>"$run_dir/samples.tsv"
  late=$(( at - ${offsets[$i]} * 1000 ))
  (( late > max_late )) && max_late=$late
  log "$name $(clock "${offsets[$i]}") after ready: VmRSS $(mb "$r"), private $(mb "$p"), PSS $(mb "$s")"
}

# The processes that map the shared .NET runtime (the framework build's pages are shared with them; they divide its PSS).
# Prints "COUNT OURS": how many processes map it, and how many of them this run started.
find_shared_runtime() {
  shared_runtime_lib=$(dotnet --list-runtimes 2>/dev/null | awk '/^Microsoft.NETCore.App / { v = $2; d = $3 } END { gsub(/[][]/, "", d); print d "/" v "/libcoreclr.so" }')
  shared_runtime_lib=$(readlink -f "$shared_runtime_lib" 2>/dev/null || echo "$shared_runtime_lib")
}
shared_runtime_users() {
  local count=0 ours=0 pid mine=" ${started_pids[*]} $(descendants "${started_pids[@]}" | tr '\n' ' ') "
  for pid in $(grep -l -F "$shared_runtime_lib" /proc/[0-9]*/maps 2>/dev/null | cut -d/ -f3); do
    count=$((count + 1))
    [[ $mine == *" $pid "* ]] && ours=$((ours + 1))
  done
  echo "$count $ours"
}

cpu_model() {
  local model
  model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "${model:-unknown}"
}

main() {
  parse_args "$@"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  mkdir -p "$results"
  # One memory.sh at a time: two would run twice as many processes on the machine.
  exec 9>"$results/.memory.lock"
  flock -n 9 || die "another bench/memory.sh is running (lock: $results/.memory.lock)"

  start_epoch=$(date +%s)
  stamp=$(date -u -d "@$start_epoch" +%Y%m%dT%H%M%SZ)
  run_dir="$results/memory-$stamp"
  mkdir -p "$run_dir"
  printf 'build\tscheduled_s\tactual_ms\tvmrss_kb\tprivate_kb\tpss_kb\tdetail\truntime_users\n' >"$run_dir/samples.tsv"
  build_project
  find_shared_runtime

  local load_start name i
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  for name in "${builds[@]}"; do start_supervisor "$name"; done
  wait_ready
  log "sampling at $(for o in "${offsets[@]}"; do printf '%s ' "$(clock "$o")"; done)after each supervisor's workers were ready; no requests meanwhile"

  # Each build on its own schedule (its own ready moment): always the earliest sample due next.
  declare -A next=()
  for name in "${builds[@]}"; do next[$name]=0; done
  max_late=0
  local best due best_due k
  while :; do
    best=""
    for name in "${builds[@]}"; do
      k=${next[$name]}
      (( k < ${#offsets[@]} )) || continue
      due=$(( ${ready_ms[$name]} + ${offsets[$k]} * 1000 ))
      if [[ -z $best ]] || (( due < best_due )); then best=$name; best_due=$due; fi
    done
    [[ -n $best ]] || break
    sleep_until "$best_due"
    k=${next[$best]}
    sample "$best" "$k"
    next[$best]=$((k + 1))
  done

  # Context at the last sample: the workers (the supervisors' child processes), and who shares the .NET runtime.
  declare -A worker_rss=() worker_count=() workers_now=()
  local pid total n r
  for name in "${builds[@]}"; do
    total=0; n=0
    for pid in $(descendants "${pid_of[$name]}"); do
      r=$(rss_kb "$pid")
      [[ -n $r ]] || continue
      total=$(( total + r )); n=$((n + 1))
    done
    worker_rss[$name]=$total; worker_count[$name]=$n
    workers_now[$name]=$(descendants "${pid_of[$name]}" | tr '\n' ' ')
  done
  local users
  users=$(shared_runtime_users)
  local load_end
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)

  # After the last sample (no longer measured): does each front end serve? One GET each.
  declare -A serves=()
  for name in "${builds[@]}"; do
    if python3 "$helper" get "http://127.0.0.1:${port_of[$name]}/" "Hello from worker" >/dev/null; then
      serves[$name]="yes"
    else
      serves[$name]="NO"
    fi
  done

  # ------------------------------------------------------------------------------------------------- report
  local report="$results/memory-$stamp.md" sc_runtime fw_runtime header sep row last=$(( ${#offsets[@]} - 1 ))
  fw_runtime=$(dotnet --list-runtimes 2>/dev/null | awk '/^Microsoft.NETCore.App / { v = $2 } END { print v }')
  sc_runtime=$(grep -o 'runtimepack\.Microsoft\.NETCore\.App\.Runtime\.[^/"]*/[0-9][^"]*' "$results/self-contained/supervisor.deps.json" 2>/dev/null | head -n 1 | sed 's|.*/||')
  {
    echo "# Supervisor memory, idle, $(date -u -d "@$start_epoch" '+%Y-%m-%d %H:%M:%S UTC')"
    echo
    echo "- command: \`$command_line\`"
    echo "- machine: $(nproc) CPU(s) (nproc), $(cpu_model), $(awk '/^MemTotal:/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); load average $load_start at the start, $load_end at the last sample"
    echo "- dotnet: SDK $(dotnet --version 2>/dev/null); framework build on the shared runtime Microsoft.NETCore.App ${fw_runtime:-?}$(wants self-contained && echo "; self-contained build carries runtime ${sc_runtime:-?}")"
    echo "- builds, run side by side, each with its own copy of supervisor.json (bench/results/memory-$stamp/BUILD/supervisor.json), $workers workers (the sample worker), no request at all:"
    for name in "${builds[@]}"; do
      case $name in
        framework) echo "  - framework: \`dotnet build src/Supervisor -c Release\`, run as \`dotnet src/Supervisor/bin/Release/net10.0/supervisor.dll start --workers $workers\`" ;;
        self-contained) echo "  - self-contained: \`dotnet publish src/Supervisor -p:PublishProfile=SelfContained -o bench/results/self-contained\`, run as \`bench/results/self-contained/supervisor start --workers $workers\`" ;;
      esac
    done
    (( build )) || echo "  - (--no-build: the binaries already there)"
    echo "- samples: VmRSS (/proc/PID/status), private = RssAnon + RssShmem, PSS (/proc/PID/smaps_rollup) of each supervisor process, at the times below after its workers were ready (each within $((max_late)) ms of its time); raw values: bench/results/memory-$stamp/samples.tsv"
    echo
    header="| since ready |"; sep="|---|"
    for name in "${builds[@]}"; do header+=" $name VmRSS MB | private MB | PSS MB |"; sep+="---:|---:|---:|"; done
    echo "$header"
    echo "$sep"
    for i in "${!offsets[@]}"; do
      row="| $(clock "${offsets[$i]}") |"
      for name in "${builds[@]}"; do
        if (( i == last )); then
          row+=" **$(mb_value "${rss[$name,$i]}")** | $(mb_value "${private[$name,$i]}") | $(mb_value "${pss[$name,$i]}") |"
        else
          row+=" $(mb_value "${rss[$name,$i]}") | $(mb_value "${private[$name,$i]}") | $(mb_value "${pss[$name,$i]}") |"
        fi
      done
      echo "$row"
    done
    row="| growth 0:05 -> $(clock "${offsets[$last]}") |"
    for name in "${builds[@]}"; do
      row+="$(awk -v a="${rss[$name,0]}" -v b="${rss[$name,$last]}" -v c="${private[$name,0]}" -v d="${private[$name,$last]}" \
        -v e="${pss[$name,0]}" -v f="${pss[$name,$last]}" 'BEGIN { printf " %+.1f | %+.1f | %+.1f |", (b - a) / 1024, (d - c) / 1024, (f - e) / 1024 }')"
    done
    echo "$row"
    echo
    echo "MB = 1024 kB. Private: anonymous and shared-memory pages (the GC heap, the JIT's code, stacks); the rest of VmRSS is"
    echo "files mapped in (the .NET runtime and assemblies). PSS divides each shared page by the number of processes mapping it."
    echo
    echo "At the last sample:"
    for name in "${builds[@]}"; do
      echo "- $name: workers (the supervisor's ${worker_count[$name]} child processes) VmRSS $(mb "${worker_rss[$name]}") in sum; worker PIDs at ready ${workers_at_ready[$name]% }, at the last sample ${workers_now[$name]% }$([[ ${workers_at_ready[$name]} == "${workers_now[$name]}" ]] && echo " (no restart)" || echo " (**a worker was replaced meanwhile**)"); the front end served a request after the last sample: ${serves[$name]}"
    done
    read -r n i <<<"$users"
    echo "- processes mapping the shared .NET runtime (libcoreclr.so of Microsoft.NETCore.App ${fw_runtime:-?}): $n, $i of them started by this run; the framework build's PSS depends on this number (at every sample: the column runtime_users of samples.tsv)"
  } >"$report"
  echo
  cat "$report"
  echo
  echo "Written to bench/results/memory-$stamp.md (logs: bench/results/memory-$stamp/)"
}

main "$@"
