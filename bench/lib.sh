# Shared by bench/run.sh, bench/memory.sh and bench/ab.sh (sourced, not run): processes tracked by PID and start time,
# stopping and checking everything a script started, the supervisor's memory readings, and the self-contained publish.
# The sourcing script defines log() and die(), and sets repo, results and run_dir before it calls these.

started_pids=()     # every process the script started in the background, by PID
started_names=()
started_graces=()   # seconds between SIGTERM and SIGKILL, per process

now_ms() { date +%s%3N; }

# The bound of every wait for a process to start, answer or apply a config: generous, because a loaded machine (other
# builds, the benchmark's own load tools) can make a .NET start or a first request take many seconds. A wait ends as
# soon as what it waits for happens; this only decides when to give up.
patience=120

# Alive and not a zombie (a child that exited stays a zombie until it is reaped with wait).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# The kernel's start time of a process (field 22 of /proc/PID/stat): a PID with another start time is another process.
start_time() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# All descendants of the given PIDs (children, grandchildren, ...), from one ps snapshot.
descendants() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) { keep[r[i]] = 1; root[r[i]] = 1 } }
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      do {
        changed = 0
        for (i in pids) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      } while (changed)
      for (i in pids) { p = pids[i]; if ((p in keep) && !(p in root)) print p }
    }' | sort -n
}

# Remember a process the script started: NAME PID GRACE (seconds from SIGTERM to SIGKILL when it is stopped).
track_started() {
  started_names+=("$1")
  started_pids+=("$2")
  started_graces+=("$3")
}

# SIGTERM, then wait up to SECONDS for the process to exit, then SIGKILL. Reaps it (it is our child).
stop_pid() {
  local name=$1 pid=$2 seconds=$3 deadline
  alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(now_ms) + seconds * 1000 ))
  while alive "$pid" && (( $(now_ms) < deadline )); do sleep 0.1; done
  if alive "$pid"; then
    log "$name (pid $pid) still running ${seconds}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Stops every tracked process (each with its grace), then checks by PID and start time that neither they nor any of
# their descendants (a supervisor's workers, nginx's and node's worker processes) is left, killing what is. Prints the
# verdict on stderr; returns 1 when something could not be stopped.
stop_everything_started() {
  (( ${#started_pids[@]} )) || return 0
  # Each with its start time, so that a later reuse of a PID is not mistaken for it.
  local all=() pid i t left=() deadline
  declare -A start_of=()
  for pid in "${started_pids[@]}" $(descendants "${started_pids[@]}"); do
    t=$(start_time "$pid") || continue
    start_of[$pid]=$t
    all+=("$pid")
  done

  # Sets left to those of all still running (same PID and start time); uses the caller's all and start_of.
  still_running() {
    left=()
    for pid in "${all[@]}"; do
      [[ $(start_time "$pid" 2>/dev/null) == "${start_of[$pid]}" ]] && alive "$pid" && left+=("$pid")
    done
  }
  # Waits up to $1 ms for all to be gone; left holds what is not.
  wait_until_gone() {
    local deadline=$(( $(now_ms) + $1 ))
    while still_running; (( ${#left[@]} )) && (( $(now_ms) <= deadline )); do sleep 0.2; done
  }

  log "stopping what this run started: ${#all[@]} process(es)"
  for i in "${!started_pids[@]}"; do
    stop_pid "${started_names[$i]}" "${started_pids[$i]}" "${started_graces[$i]}"
  done

  # Give children of the stopped processes a moment to go, then check with ps.
  wait_until_gone 5000
  if (( ${#left[@]} )); then
    echo "cleanup: still running after stop, killing with SIGKILL:" >&2
    ps -o pid,ppid,etime,args -p "$(IFS=,; echo "${left[*]}")" >&2 || true
    for pid in "${left[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait_until_gone $(( patience * 1000 ))
  fi
  still_running
  if (( ${#left[@]} )); then
    echo "cleanup: FAILED: process(es) still running: ${left[*]}" >&2
    ps -o pid,ppid,etime,args -p "$(IFS=,; echo "${left[*]}")" >&2 || true
    return 1
  elif ps -o pid= -p "$(IFS=,; echo "${all[*]}")" >/dev/null; then
    # ps found one of the PIDs, but with another start time: a new, unrelated process reused it.
    echo "cleanup: all ${#all[@]} process(es) this run started have exited (a PID was reused by another process)" >&2
  else
    echo "cleanup: all ${#all[@]} process(es) this run started have exited (ps -p ${all[*]}: none left)" >&2
  fi
}

# The supervisor's memory, in kB: resident (VmRSS); private resident (anonymous + shared-memory pages, i.e. not the
# mapped .NET framework files that every .NET process on the machine shares); PSS (each shared page divided by the
# number of processes mapping it).
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo ""; }
private_kb() { awk '/^RssAnon:|^RssShmem:/ { kb += $2 } END { print kb }' "/proc/$1/status" 2>/dev/null || echo ""; }
pss_kb() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo ""; }
mb_value() { [[ -n $1 ]] && awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }' || echo "n/a"; }
mb() { [[ -n $1 ]] && echo "$(mb_value "$1") MB" || echo "n/a"; }

# dotnet publish src/Supervisor -p:PublishProfile=SelfContained into bench/results/self-contained, unless BUILD is 0
# and it is there already. LOGFILE keeps the output.
publish_self_contained() {
  local build=$1 logfile=$2
  (( build )) || [[ ! -x $results/self-contained/supervisor ]] || return 0
  log "dotnet publish src/Supervisor -p:PublishProfile=SelfContained -o bench/results/self-contained"
  if ! dotnet publish src/Supervisor -p:PublishProfile=SelfContained -o "$results/self-contained" -nologo -v quiet >"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "the self-contained publish failed (log: $logfile)"
  fi
}
