#!/usr/bin/env bash
# HTTP throughput and latency of several front ends side by side, in one run, with wrk:
#   direct        one sample worker, no proxy
#   supervisor    the supervisor's front end (YARP) over N sample workers, round-robin (the default policy)
#   supervisor-p2c, supervisor-least
#                 the same supervisor and workers with proxy.loadBalancing powerOfTwoChoices / leastRequests,
#                 switched live with SIGHUP before each run (the same workers, warm: see use_policy)
#   supervisor-apps
#                 a supervisor with three apps: N sample workers as app "bench" (selected by Host: bench.example,
#                 which wrk sends), beside two apps of one sample worker each: what routing by host costs
#   supervisor-pool
#                 a supervisor whose workers are a range, min 1, max N, spare 1 (docs/pools.md): it starts with 2 and
#                 grows under the first load to N; compared with the fixed N of "supervisor" in the same run (a pool
#                 that does not flap serves as much). Also measured: the time from the first request of the first
#                 load (a burst on the idle pool) to the first worker the pool added being ready
#   shared-socket a second supervisor with "frontEnd": "sharedSocket" over its own N sample workers (the same binary,
#                 config and count): the workers accept wrk's connections themselves from the socket it holds
#   nginx         nginx over the same N workers
#   haproxy       HAProxy over the same N workers
#   node-cluster  Node's cluster module, N workers answering a fixed string (bench/node-cluster.js)
#   supervisor-https, nginx-https
#                 the same supervisor (an https:// listener beside its http:// one) and nginx over HTTPS, with one
#                 certificate made for the run with openssl: keep-alive HTTP/1.1 with wrk
#   supervisor-h2, nginx-h2
#                 the same over HTTP/2 (ALPN h2) with h2load (Debian's nghttp2-client), when it can be installed
#   supervisor-handshake, nginx-handshake
#                 new TLS connections per second: parallel `openssl s_time -new` clients, a full handshake and a GET /
#                 per connection (no session resumption)
# For every measured run it also reports the CPU time per request (user and kernel) of the front end and of the
# workers, and the front end's context switches per request, from /proc.
# Writes a Markdown table to stdout, bench/results/<UTC timestamp>.md and bench/results/latest.md.
# See bench/README.md. Run bench/run.sh --help for the options.
set -euo pipefail

command_line=$(printf '%q ' "$0" "$@")
command_line=${command_line% }

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
results="$repo/bench/results"
helper="$repo/bench/bench_helper.py"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
all_targets=(direct supervisor supervisor-p2c supervisor-least supervisor-apps supervisor-pool shared-socket nginx haproxy node-cluster supervisor-https nginx-https supervisor-h2 nginx-h2 supervisor-handshake nginx-handshake)

cpus=$(nproc)
workers=$cpus
rounds=3
duration=5
connections=64
warmup=2
initial_warmup=15
h2_streams=1
handshake_clients=4
only=""
build=1
supervisor_build=framework
syscall_mode=0
worker_cpu_affinity=none
supervisor_command=(dotnet "$repo/src/Supervisor/bin/Release/net10.0/supervisor.dll")

usage() {
  cat <<EOF
Usage: bench/run.sh [options]

Measures requests/s and p50/p99 latency of: ${all_targets[*]}
(GET / with wrk -t1 -c<connections> -d<duration>s --latency; a ${warmup} s warm-up per target per round, not recorded),
and, during each measured run, the CPU time per request (user + kernel, from /proc/PID/stat) of the front end and of
the workers, and the front end's context switches per request.

Options:
  --workers N        workers behind each front end (default: nproc = $cpus)
  --rounds R         rounds; every round runs every target, in an order rotated each round (default 3)
  --duration S       seconds of each measured wrk run (default 5)
  --connections C    wrk connections (default 64)
  --initial-warmup S load each target this long once before the first round, not recorded (default 15): .NET
                     compiles hot code in tiers (tiered JIT with profile-guided optimization) during its first
                     seconds under load, so a short first run would measure the compiler rather than the proxy
  --only a,b,...     run only these targets (default: all)
  --h2-streams M     concurrent streams per connection for the -h2 targets (h2load -m; default 1, like wrk's one
                     request at a time per connection)
  --handshake-clients K
                     parallel 'openssl s_time -new' clients for the -handshake targets (default 4)
  --no-build         do not run 'dotnet build' (use the binaries already built)
  --worker-cpu-affinity none|auto
                     worker.cpuAffinity of the supervisors' workers (default none: as shipped); auto pins each worker
                     to a CPU of its own (nginx, HAProxy and direct use the same workers, so they are pinned too)
  --syscalls         instead of throughput, count system calls: one warm-up and one wrk run per target, with
                     'strace -c -f' attached to the target's front-end processes (the one worker for direct) during
                     the run; reports system calls (and failed ones) per request. strace slows every call down, so
                     the rates are off and only this table is written (installs strace with apt-get when missing)
  --supervisor-build framework|self-contained
                     which build of the supervisor to measure (default framework: what 'dotnet run' and the .NET tool
                     run); self-contained publishes src/Supervisor with -p:PublishProfile=SelfContained (trimmed, no
                     .NET runtime needed) into bench/results/self-contained/ and runs that
  --help             this text

HTTPS targets (-https with wrk, -h2 with h2load, -handshake with openssl s_time) use one self-signed ECDSA P-256
certificate made for the run with openssl, served by the supervisor's https:// listener and by nginx.

Installs wrk, nginx, haproxy, openssl and h2load (nghttp2-client) with apt-get when missing; without h2load the -h2
targets are left out. Results: bench/results/<UTC timestamp>.md and latest.md;
logs, configs and wrk's raw output of a run: bench/results/<UTC timestamp>/.
EOF
}

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

positive_int() { [[ $2 =~ ^[0-9]+$ ]] && (( 10#$2 >= 1 )) || die "$1 needs a positive integer, got '$2'"; }

parse_args() {
  while (( $# )); do
    case $1 in
      --workers) [[ $# -ge 2 ]] || die "--workers needs a value"; positive_int "$1" "$2"; workers=$((10#$2)); shift 2 ;;
      --rounds) [[ $# -ge 2 ]] || die "--rounds needs a value"; positive_int "$1" "$2"; rounds=$((10#$2)); shift 2 ;;
      --duration) [[ $# -ge 2 ]] || die "--duration needs a value"; positive_int "$1" "$2"; duration=$((10#$2)); shift 2 ;;
      --connections) [[ $# -ge 2 ]] || die "--connections needs a value"; positive_int "$1" "$2"; connections=$((10#$2)); shift 2 ;;
      --initial-warmup) [[ $# -ge 2 ]] || die "--initial-warmup needs a value"; [[ $2 =~ ^[0-9]+$ ]] || die "--initial-warmup needs a number of seconds, got '$2'"; initial_warmup=$((10#$2)); shift 2 ;;
      --only) [[ $# -ge 2 ]] || die "--only needs a value"; only=$2; shift 2 ;;
      --h2-streams) [[ $# -ge 2 ]] || die "--h2-streams needs a value"; positive_int "$1" "$2"; h2_streams=$((10#$2)); shift 2 ;;
      --handshake-clients) [[ $# -ge 2 ]] || die "--handshake-clients needs a value"; positive_int "$1" "$2"; handshake_clients=$((10#$2)); shift 2 ;;
      --no-build) build=0; shift ;;
      --syscalls) syscall_mode=1; shift ;;
      --worker-cpu-affinity) [[ $# -ge 2 ]] || die "--worker-cpu-affinity needs a value"
        [[ $2 == none || $2 == auto ]] || die "--worker-cpu-affinity must be none or auto, got '$2'"
        worker_cpu_affinity=$2; shift 2 ;;
      --supervisor-build) [[ $# -ge 2 ]] || die "--supervisor-build needs a value"
        [[ $2 == framework || $2 == self-contained ]] || die "--supervisor-build must be framework or self-contained, got '$2'"
        supervisor_build=$2; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown option '$1'" ;;
    esac
  done
  targets=()
  if [[ -z $only ]]; then
    targets=("${all_targets[@]}")
  else
    local wanted t known
    IFS=, read -r -a wanted <<<"$only"
    # Keep the canonical order, whatever order --only lists them in.
    for t in "${wanted[@]}"; do
      known=0
      for k in "${all_targets[@]}"; do [[ $t == "$k" ]] && known=1; done
      (( known )) || die "--only: unknown target '$t' (targets: ${all_targets[*]})"
    done
    for k in "${all_targets[@]}"; do
      for t in "${wanted[@]}"; do [[ $t == "$k" ]] && { targets+=("$k"); break; }; done
    done
  fi
  (( ${#targets[@]} )) || die "--only: no targets"
}

wants() { local t; for t in "${targets[@]}"; do [[ $t == "$1" ]] && return 0; done; return 1; }
needs_supervisor() { local t; for t in "${targets[@]}"; do [[ $t != node-cluster ]] && return 0; done; return 1; }
needs_nginx() { wants nginx || wants nginx-https || wants nginx-h2 || wants nginx-handshake; }
needs_tls() { local t; for t in "${targets[@]}"; do [[ $t == *-https || $t == *-h2 || $t == *-handshake ]] && return 0; done; return 1; }
needs_h2load() { wants supervisor-h2 || wants nginx-h2; }
# The protocol a target measures: http (wrk), https (wrk over TLS), h2 (h2load), handshake (openssl s_time).
kind_of() {
  case $1 in
    *-https) echo https ;;
    *-h2) echo h2 ;;
    *-handshake) echo handshake ;;
    *) echo http ;;
  esac
}

# Leaves out targets that need a tool this machine cannot get (h2load), with a log line.
drop_target() {
  local keep=() t
  for t in "${targets[@]}"; do [[ $t == "$1" ]] || keep+=("$t"); done
  targets=("${keep[@]}")
  (( ${#targets[@]} )) || die "no targets left ($2)"
  log "leaving out $1: $2"
}

# ------------------------------------------------------------------------------------------------- installation

# The system binaries (nginx, haproxy) live in /usr/sbin, which a normal user's PATH may lack.
find_tool() { command -v "$1" 2>/dev/null || { [[ -x /usr/sbin/$1 ]] && echo "/usr/sbin/$1"; } || true; }

sudo_prefix=()
policy_rc_created=0

install_missing() {
  local missing=()
  [[ -n $(find_tool python3) ]] || missing+=(python3)
  [[ -n $(find_tool wrk) ]] || missing+=(wrk)
  if needs_nginx && [[ -z $(find_tool nginx) ]]; then missing+=(nginx); fi
  if needs_tls && [[ -z $(find_tool openssl) ]]; then missing+=(openssl); fi
  if wants haproxy && [[ -z $(find_tool haproxy) ]]; then missing+=(haproxy); fi
  if wants node-cluster && [[ -z $(find_tool node) ]]; then missing+=(nodejs); fi
  if (( syscall_mode )) && [[ -z $(find_tool strace) ]]; then missing+=(strace); fi
  local want_h2load=0
  if needs_h2load && [[ -z $(find_tool h2load) ]]; then want_h2load=1; fi
  if (( ${#missing[@]} == 0 && want_h2load == 0 )); then return 0; fi

  command -v apt-get >/dev/null || die "missing: ${missing[*]}; install them (this script knows only apt-get)"
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || die "missing: ${missing[*]}; installing them needs root or sudo"
    sudo_prefix=(sudo)
  fi
  # Installing nginx or haproxy would start their system services (nginx on port 80). A bench should not leave a
  # web server running, so, unless the machine already has a policy, forbid service starts during this install
  # (policy-rc.d exit 101, honoured by invoke-rc.d and deb-systemd-invoke). The packages stay enabled for boot.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# Temporary, written by bench/run.sh while it installs packages.\nexit 101\n' |
      "${sudo_prefix[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_prefix[@]}" chmod 755 /usr/sbin/policy-rc.d
    policy_rc_created=1
  fi
  local apt_log="$results/apt.log"
  "${sudo_prefix[@]}" apt-get update >"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; die "apt-get update failed (log: $apt_log)"; }
  # h2load is optional: only where the distribution has nghttp2-client.
  if (( want_h2load )); then
    if apt-cache show nghttp2-client >/dev/null 2>&1; then missing+=(nghttp2-client); else want_h2load=0; fi
  fi
  if (( ${#missing[@]} )); then
    log "installing ${missing[*]} (apt-get install; log: bench/results/apt.log)"
    if ! "${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1; then
      tail -n 20 "$apt_log" >&2
      die "apt-get failed (log: $apt_log)"
    fi
  fi
  remove_policy_rc
}

# After installing: the -h2 targets need h2load.
drop_unavailable() {
  if needs_h2load && [[ -z $(find_tool h2load) ]]; then
    wants supervisor-h2 && drop_target supervisor-h2 "h2load (nghttp2-client) is not installed and apt-get has no nghttp2-client"
    wants nginx-h2 && drop_target nginx-h2 "h2load (nghttp2-client) is not installed and apt-get has no nghttp2-client"
  fi
  return 0
}

# One certificate for every HTTPS target, made for this run: self-signed ECDSA P-256 (what certbot issues by
# default), for "localhost" and 127.0.0.1. The supervisor and nginx serve the same files.
make_certificate() {
  local dir="$run_dir/tls"
  mkdir -p "$dir"
  tls_certificate="$dir/fullchain.pem"
  tls_key="$dir/privkey.pem"
  if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
       -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
       -keyout "$tls_key" -out "$tls_certificate" >"$dir/openssl.log" 2>&1; then
    cat "$dir/openssl.log" >&2
    die "openssl could not make the bench certificate"
  fi
  chmod 600 "$tls_key"
  # bench_helper.py get verifies HTTPS answers against it.
  export BENCH_CA_FILE=$tls_certificate
  log "bench certificate: $tls_certificate (ECDSA P-256, self-signed, for localhost and 127.0.0.1)"
}

remove_policy_rc() {
  if (( policy_rc_created )); then
    "${sudo_prefix[@]}" rm -f /usr/sbin/policy-rc.d
    policy_rc_created=0
  fi
}

build_project() {
  command -v dotnet >/dev/null || die "dotnet not found: install the .NET 10 SDK"
  if (( build )); then
    log "dotnet build src/Supervisor -c Release"
    if ! dotnet build src/Supervisor -c Release -nologo -v quiet >"$run_dir/build.log" 2>&1; then
      tail -n 30 "$run_dir/build.log" >&2
      die "the build failed (log: $run_dir/build.log)"
    fi
  fi
  [[ -f src/Supervisor/bin/Release/net10.0/supervisor.dll ]] || die "src/Supervisor/bin/Release/net10.0/supervisor.dll is missing"
  if [[ $supervisor_build == self-contained ]]; then
    publish_self_contained "$build" "$run_dir/publish.log"
    supervisor_command=("$results/self-contained/supervisor")
  fi
  [[ -f src/Worker/bin/Release/net10.0/Worker.dll ]] || die "src/Worker/bin/Release/net10.0/Worker.dll is missing"
}

# ---------------------------------------------------------------------------------------------------- processes

free_port() { python3 "$helper" free-port; }

# Start a command in the background, its output to a log file; remember its PID.
start_bg() {
  local name=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 9>&- &
  last_pid=$!
  # The supervisor stops its workers gracefully after SIGTERM; give it 30 s before SIGKILL.
  if [[ $name == supervisor ]]; then track_started "$name" "$last_pid" 30; else track_started "$name" "$last_pid" 10; fi
  log "started $name (pid $last_pid): $*"
}

# Wait until a URL answers 200 with a body starting with PREFIX; fail if PID dies or after SECONDS.
wait_http() {
  local name=$1 pid=$2 url=$3 prefix=$4 seconds=$5 logfile=$6 answer deadline
  deadline=$(( $(now_ms) + seconds * 1000 ))
  until answer=$(python3 "$helper" get "$url" "$prefix"); do
    if ! alive "$pid"; then tail -n 30 "$logfile" >&2; die "$name exited before it answered $url"; fi
    if (( $(now_ms) > deadline )); then tail -n 30 "$logfile" >&2; die "$name did not answer $url within ${seconds}s (last: $answer)"; fi
    sleep 0.2
  done
  log "$name answers $url: $answer"
}

cleanup_done=0
cleanup() {
  local status=$?
  (( cleanup_done )) && exit "$status"
  cleanup_done=1
  trap '' INT TERM
  remove_policy_rc || true
  stop_everything_started || { (( status )) || status=1; }
  exit "$status"
}

# ---------------------------------------------------------------------------------------------------- the targets

supervisor_pid=""
apps_pid=""
apps_port=""
pool_pid=""
pool_port=""
pool_initial=""
pool_growth=""
pool_events_before=""
shared_pid=""
shared_ports=()
nginx_pid=""
haproxy_pid=""
node_pid=""
worker_ports=()
supervisor_cli() { "${supervisor_command[@]}" "$@"; }

# Waits until the supervisor started as PID (CONFIG's) has COUNT workers ready, by `status --json`; dies with the tail
# of LOG if it exits or WHAT is not ready within $patience s. Leaves the status in ready_status and bench_helper.py
# ready's line ("SUPERVISOR_PID PORT...") in ready_line.
ready_status=""
ready_line=""
wait_supervisor_ready() {
  local pid=$1 config=$2 count=$3 log_file=$4 what=$5 deadline
  deadline=$(( $(now_ms) + patience * 1000 ))
  ready_line="no status yet"
  until ready_status=$(supervisor_cli status --json --config "$config" 2>/dev/null) &&
        ready_line=$(python3 "$helper" ready "$count" <<<"$ready_status"); do
    alive "$pid" || { tail -n 30 "$log_file" >&2; die "$what exited during start (log: $log_file)"; }
    (( $(now_ms) < deadline )) || { tail -n 30 "$log_file" >&2; die "$what: $count worker(s) not ready within $patience s (last status: $ready_line)"; }
    sleep 0.5
  done
}

start_supervisor() {
  local config="$results/supervisor-bench.json" line
  python3 "$helper" make-config supervisor.json "$config"
  if [[ $worker_cpu_affinity != none ]]; then
    python3 "$helper" merge-config "$config" "{\"worker\": {\"cpuAffinity\": \"$worker_cpu_affinity\"}}" supervisor-bench
  fi
  supervisor_port=$(free_port)
  local listen="http://127.0.0.1:$supervisor_port"
  if needs_tls; then
    supervisor_tls_port=$(free_port)
    listen+=",https://127.0.0.1:$supervisor_tls_port"
    python3 "$helper" merge-config "$config" "{\"tls\": {\"certificate\": \"$tls_certificate\", \"key\": \"$tls_key\"}}" supervisor-bench
  fi
  cp "$config" "$run_dir/"
  start_bg supervisor "$run_dir/supervisor.log" \
    "${supervisor_command[@]}" start --config "$config" --workers "$workers" \
    --listen "$listen"
  local pid=$last_pid
  wait_supervisor_ready "$pid" "$config" "$workers" "$run_dir/supervisor.log" "the supervisor"
  echo "$ready_status" >"$run_dir/status-ready.json"
  read -r supervisor_pid line <<<"$ready_line"
  read -r -a worker_ports <<<"$line"
  [[ $supervisor_pid == "$pid" ]] || log "note: status says supervisor pid $supervisor_pid, started pid $pid"
  log "supervisor pid $supervisor_pid on port $supervisor_port; $workers worker(s) ready on ports ${worker_ports[*]}"
}

# The same bench config with frontEnd sharedSocket (bench_helper.py shared-config takes out what that mode refuses),
# its own pid file and control socket, and its own N sample workers.
start_shared_supervisor() {
  local config="$results/supervisor-shared.json" line
  python3 "$helper" shared-config "$results/supervisor-bench.json" "$config" supervisor-shared
  cp "$config" "$run_dir/"
  shared_port=$(free_port)
  start_bg supervisor "$run_dir/supervisor-shared.log" \
    "${supervisor_command[@]}" start --config "$config" --workers "$workers" --listen "http://127.0.0.1:$shared_port"
  wait_supervisor_ready "$last_pid" "$config" "$workers" "$run_dir/supervisor-shared.log" "the shared-socket supervisor"
  read -r shared_pid line <<<"$ready_line"
  read -r -a shared_ports <<<"$line"
  log "shared-socket supervisor pid $shared_pid on port $shared_port; $workers worker(s) ready (private ports ${shared_ports[*]})"
  wait_http shared-socket "$shared_pid" "http://127.0.0.1:$shared_port/" "Hello from worker" "$patience" "$run_dir/supervisor-shared.log"
}

# The same bench config as three apps (bench_helper.py apps-config): the measured one, "bench", has the N sample
# workers and is reached with Host: bench.example; "other" and "api" have one sample worker each. Its own pid file and
# control socket.
start_apps_supervisor() {
  local config="$results/supervisor-apps.json" line
  python3 "$helper" apps-config "$results/supervisor-bench.json" "$config" supervisor-apps
  python3 "$helper" merge-config "$config" "{\"apps\": {\"bench\": {\"workers\": $workers}}}" supervisor-apps
  cp "$config" "$run_dir/"
  apps_port=$(free_port)
  start_bg supervisor "$run_dir/supervisor-apps.log" \
    "${supervisor_command[@]}" start --config "$config" --listen "http://127.0.0.1:$apps_port"
  wait_supervisor_ready "$last_pid" "$config" "$(( workers + 2 ))" "$run_dir/supervisor-apps.log" "the supervisor with three apps"
  read -r apps_pid line <<<"$ready_line"
  log "supervisor with three apps pid $apps_pid on port $apps_port; $(( workers + 2 )) worker(s) ready"
  # "api" answers every host under /api/ (stripped to /): the routes are in place.
  wait_http supervisor-apps "$apps_pid" "http://127.0.0.1:$apps_port/api/" "Hello from worker" "$patience" "$run_dir/supervisor-apps.log"
}

# The bench config with "workers" a range: min 1, max N, spare 1, idleTimeout 30s (it starts with min + spare, at most
# N); its own pid file and control socket, and its own sample workers.
start_pool_supervisor() {
  local config="$results/supervisor-pool.json" line
  cp "$results/supervisor-bench.json" "$config"
  python3 "$helper" merge-config "$config" "{\"workers\": {\"min\": 1, \"max\": $workers, \"spare\": 1, \"idleTimeout\": \"30s\"}}" supervisor-pool
  cp "$config" "$run_dir/"
  pool_port=$(free_port)
  pool_initial=$(( workers < 2 ? workers : 2 ))
  start_bg supervisor "$run_dir/supervisor-pool.log" \
    "${supervisor_command[@]}" start --config "$config" --listen "http://127.0.0.1:$pool_port"
  wait_supervisor_ready "$last_pid" "$config" "$pool_initial" "$run_dir/supervisor-pool.log" "the supervisor with a pool"
  read -r pool_pid line <<<"$ready_line"
  log "supervisor with a pool (1 to $workers, spare 1) pid $pool_pid on port $pool_port; $pool_initial worker(s) ready"
  wait_http supervisor-pool "$pool_pid" "http://127.0.0.1:$pool_port/" "Hello from worker" "$patience" "$run_dir/supervisor-pool.log"
}

# The pool's control socket (bench_helper.py pool-* read /v1/status on it directly: no CLI start per poll).
pool_socket() { python3 "$helper" control-socket "$results/supervisor-pool.json"; }

start_nginx() {
  local nginx dir="$run_dir/nginx" ports="" p
  nginx=$(find_tool nginx)
  mkdir -p "$dir/tmp"
  nginx_port=$(free_port)
  for p in "${worker_ports[@]}"; do ports+="        server 127.0.0.1:$p;"$'\n'; done
  local tls_server="" location
  location='        location / {
            proxy_pass http://workers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            # The same forwarding headers the supervisor'"'"'s front end adds.
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
        }'
  if needs_tls; then
    nginx_tls_port=$(free_port)
    # HTTP/2 on the TLS listener: "listen ... http2" before nginx 1.25.1, the "http2" directive from it on.
    local listen_tls="listen 127.0.0.1:$nginx_tls_port ssl http2;" http2_directive=""
    if nginx_at_least 1.25.1 "$nginx"; then listen_tls="listen 127.0.0.1:$nginx_tls_port ssl;"; http2_directive="http2 on;"; fi
    tls_server="    server {
        $listen_tls
        $http2_directive
        # The supervisor's TLS: 1.2 and 1.3, the same certificate and key, ALPN h2 and http/1.1.
        ssl_certificate $tls_certificate;
        ssl_certificate_key $tls_key;
        ssl_protocols TLSv1.2 TLSv1.3;
$location
    }"
  fi
  cat >"$dir/nginx.conf" <<EOF
# Written by bench/run.sh. nginx over the supervisor's $workers sample workers, tuned as one would in production.
worker_processes $cpus;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    # Client connections: do not close a keep-alive connection after 1000 requests (nginx's default); the
    # supervisor (Kestrel), HAProxy and Node have no such limit.
    keepalive_requests 1000000;
    upstream workers {
$ports        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$nginx_port;
$location
    }
$tls_server
}
EOF
  "$nginx" -t -q -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" 2>"$dir/check.log" ||
    { cat "$dir/check.log" >&2; die "nginx rejected $dir/nginx.conf"; }
  start_bg nginx "$dir/stdout.log" "$nginx" -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" -g 'daemon off;'
  nginx_pid=$last_pid
  wait_http nginx "$last_pid" "http://127.0.0.1:$nginx_port/" "Hello from worker" "$patience" "$dir/error.log"
  if needs_tls; then wait_http nginx "$last_pid" "https://127.0.0.1:$nginx_tls_port/" "Hello from worker" "$patience" "$dir/error.log"; fi
}

# nginx_at_least VERSION NGINX: whether that nginx binary is at least VERSION.
nginx_at_least() {
  local have
  have=$("$2" -v 2>&1 | sed -n 's|^nginx version: nginx/||p')
  [[ $(printf '%s\n%s\n' "$1" "$have" | sort -V | head -n 1) == "$1" ]]
}

start_haproxy() {
  local haproxy dir="$run_dir/haproxy" servers="" i
  haproxy=$(find_tool haproxy)
  mkdir -p "$dir"
  haproxy_port=$(free_port)
  for i in "${!worker_ports[@]}"; do servers+="    server worker$i 127.0.0.1:${worker_ports[$i]}"$'\n'; done
  cat >"$dir/haproxy.cfg" <<EOF
# Written by bench/run.sh. HAProxy over the supervisor's $workers sample workers, tuned as one would in production.
global
    nbthread $cpus
    maxconn 4096
    # No "log" line: no logging.

defaults
    mode http
    option http-keep-alive
    http-reuse always
    # The same forwarding header the supervisor's front end adds.
    option forwardfor
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
    timeout http-request 10s

frontend bench
    bind 127.0.0.1:$haproxy_port
    default_backend workers

backend workers
    balance roundrobin
$servers
EOF
  "$haproxy" -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 ||
    { cat "$dir/check.log" >&2; die "haproxy rejected $dir/haproxy.cfg"; }
  start_bg haproxy "$dir/haproxy.log" "$haproxy" -f "$dir/haproxy.cfg" -db
  haproxy_pid=$last_pid
  wait_http haproxy "$last_pid" "http://127.0.0.1:$haproxy_port/" "Hello from worker" "$patience" "$dir/haproxy.log"
}

start_node_cluster() {
  local deadline
  node_port=$(free_port)
  start_bg node-cluster "$run_dir/node-cluster.log" node "$repo/bench/node-cluster.js" "$node_port" "$workers"
  local pid=$last_pid
  node_pid=$pid
  # Ready when the primary says all workers listen (with fewer, the port may already answer).
  deadline=$(( $(now_ms) + patience * 1000 ))
  until grep -q "workers listening" "$run_dir/node-cluster.log"; do
    alive "$pid" || { cat "$run_dir/node-cluster.log" >&2; die "node-cluster exited during start"; }
    (( $(now_ms) < deadline )) || { cat "$run_dir/node-cluster.log" >&2; die "node-cluster not listening within $patience s"; }
    sleep 0.1
  done
  wait_http node-cluster "$pid" "http://127.0.0.1:$node_port/" "Hello from clustered worker!" "$patience" "$run_dir/node-cluster.log"
}

port_of() {
  case $1 in
    direct) echo "${worker_ports[0]}" ;;
    supervisor|supervisor-p2c|supervisor-least) echo "$supervisor_port" ;;
    supervisor-apps) echo "$apps_port" ;;
    supervisor-pool) echo "$pool_port" ;;
    shared-socket) echo "$shared_port" ;;
    nginx) echo "$nginx_port" ;;
    haproxy) echo "$haproxy_port" ;;
    node-cluster) echo "$node_port" ;;
    supervisor-https|supervisor-h2|supervisor-handshake) echo "$supervisor_tls_port" ;;
    nginx-https|nginx-h2|nginx-handshake) echo "$nginx_tls_port" ;;
  esac
}

url_of() {
  case $(kind_of "$1") in
    http) echo "http://127.0.0.1:$(port_of "$1")/" ;;
    *) echo "https://127.0.0.1:$(port_of "$1")/" ;;
  esac
}

# The processes whose CPU time a target's row reports, as PIDs separated by spaces; none: the row shows "-".
# Front end: the process that accepts wrk's connections, with its children (nginx's worker processes; HAProxy runs
# one process with threads). direct has none: the worker is the server. node-cluster: the whole tree (primary and
# workers) is the front end, as its workers are its own children and serve wrk directly.
front_end_pids() {
  case $1 in
    direct) ;;
    supervisor|supervisor-p2c|supervisor-least|supervisor-https|supervisor-h2|supervisor-handshake) echo "$supervisor_pid" ;;
    shared-socket) echo "$shared_pid" ;;
    supervisor-apps) echo "$apps_pid" ;;
    supervisor-pool) echo "$pool_pid" ;;
    nginx|nginx-https|nginx-h2|nginx-handshake) echo "$nginx_pid" $(descendants "$nginx_pid") ;;
    haproxy) echo "$haproxy_pid" $(descendants "$haproxy_pid") ;;
    node-cluster) echo "$node_pid" $(descendants "$node_pid") ;;
  esac
}

# Workers: the supervisor's child processes (its sample workers, behind every target but node-cluster), read at each
# run, so a worker the supervisor restarted is counted. For direct only worker 0 gets requests; the others idle.
worker_pids() {
  case $1 in
    node-cluster) ;;
    shared-socket) echo $(descendants "$shared_pid") ;;
    supervisor-apps) echo $(descendants "$apps_pid") ;;
    supervisor-pool) echo $(descendants "$pool_pid") ;;
    *) echo $(descendants "$supervisor_pid") ;;
  esac
}

# ---------------------------------------------------------------------------------------------------- measuring

wrk_args() { echo "-t1 -c$connections -d${1}s --latency"; }
h2load_args() { echo "-t1 -c$connections -m$h2_streams -D$1"; }

# Puts load on TARGET for SECONDS, its tool's output in OUT: wrk (http, https), h2load (h2), or K parallel
# `openssl s_time -new` clients (handshake), whose totals are written as "connections N" and "elapsed_ms M".
run_load() {
  local target=$1 seconds=$2 out=$3 url i started total=0 n host=()
  url=$(url_of "$target")
  # supervisor-apps: the measured app is the one its Host selects.
  [[ $target == supervisor-apps ]] && host=(-H "Host: bench.example")
  case $(kind_of "$target") in
    http|https) wrk $(wrk_args "$seconds") "${host[@]}" "$url" >"$out" 2>&1 ;;
    h2) h2load $(h2load_args "$seconds") "$url" >"$out" 2>&1 ;;
    handshake)
      started=$(now_ms)
      local clients=()
      for (( i = 0; i < handshake_clients; i++ )); do
        openssl s_time -connect "127.0.0.1:$(port_of "$target")" -new -www / -time "$seconds" >"$out.$i" 2>&1 9>&- &
        clients+=($!)
      done
      # These clients only: a bare `wait` would also wait for the servers this script started.
      wait "${clients[@]}" || true
      for (( i = 0; i < handshake_clients; i++ )); do
        n=$(sed -n 's/^\([0-9][0-9]*\) connections in [0-9.]* real seconds.*/\1/p' "$out.$i" | tail -n 1)
        total=$(( total + ${n:-0} ))
      done
      printf 'connections %s\nelapsed_ms %s\nclients %s\n' "$total" "$(( $(now_ms) - started ))" "$handshake_clients" >"$out"
      ;;
  esac
}

parse_load() {
  case $(kind_of "$1") in
    http|https) python3 "$helper" parse-wrk "$2" ;;
    h2) python3 "$helper" parse-h2load "$2" ;;
    handshake) python3 "$helper" parse-handshakes "$2" ;;
  esac
}

# The load-balancing policy a supervisor target measures; switched live (SIGHUP) when it differs from the current one.
# SIGHUP, not `supervisor reload`: a reload replaces every worker (and waits reload.confirmAfter), so the next run
# would measure cold workers; SIGHUP applies proxy.loadBalancing at once to the same, warm workers. Applied means the
# control loop took the new config as its next generation: read from `supervisor status --json` on the control socket
# (the loop's own state), not from the log, and bounded by $patience.
current_policy=roundRobin
use_policy() {
  local wanted config="$results/supervisor-bench.json" before state generation result detail deadline
  case $1 in
    supervisor|supervisor-https|supervisor-h2|supervisor-handshake) wanted=roundRobin ;;
    supervisor-p2c) wanted=powerOfTwoChoices ;;
    supervisor-least) wanted=leastRequests ;;
    *) return 0 ;;
  esac
  [[ $wanted == "$current_policy" ]] && return 0
  python3 "$helper" set-policy "$config" "$wanted"
  before=$(reload_state "$config") || die "the supervisor's status could not be read before the policy switch: $before"
  kill -HUP "$supervisor_pid"
  deadline=$(( $(now_ms) + patience * 1000 ))
  while :; do
    if state=$(reload_state "$config"); then
      read -r generation result detail <<<"$state"
      if (( generation > ${before%% *} )); then break; fi
      # A SIGHUP the loop refused (another operation in progress, an invalid config) leaves the generation as it was.
      if [[ $state != "$before" && $result == refused ]]; then
        die "the supervisor refused the switch to loadBalancing $wanted: $detail"
      fi
    fi
    (( $(now_ms) < deadline )) || { tail -n 20 "$run_dir/supervisor.log" >&2; die "the supervisor did not apply loadBalancing $wanted within $patience s (status: $state)"; }
    sleep 0.2
  done
  [[ $result == committed ]] || die "the switch to loadBalancing $wanted ended $result: $detail"
  current_policy=$wanted
  log "supervisor now balances with $wanted (generation $generation: $detail)"
}

# "GENERATION RESULT DETAIL" of the bench supervisor, from its control socket.
reload_state() {
  local out
  out=$(supervisor_cli status --json --config "$1" 2>&1) || { echo "$out"; return 1; }
  python3 "$helper" reload-state <<<"$out"
}

# --syscalls: strace -c on the front end during one wrk run; no throughput numbers (strace slows everything).
count_syscalls() {
  local target=$1 port pids out trace strace_pid args=() p requests
  port=$(port_of "$target")
  use_policy "$target"
  pids=$(front_end_pids "$target")
  [[ -n $pids ]] || pids=$(worker_pid_on_port "$port")
  for p in $pids; do args+=(-p "$p"); done
  out="$run_dir/wrk/syscalls-$target.txt"
  trace="$run_dir/strace-$target.txt"
  run_load "$target" "$warmup" "$out.warmup" >/dev/null 2>&1 || true
  strace -c -f -qq -o "$trace" "${args[@]}" 2>"$run_dir/strace-$target.err" &
  strace_pid=$!
  track_started strace "$strace_pid" 10
  sleep 1
  run_load "$target" "$duration" "$out" || log "the load tool failed against $target: $(tail -n 1 "$out")"
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  requests=$(parse_load "$target" "$out" | cut -f4)
  python3 "$helper" syscalls "$run_dir/syscalls.tsv" "$target" "$trace" "$requests"
  log "$target: system calls counted over $requests requests (pids $pids)"
}

# direct has no front end: its system calls are worker 0's (the one wrk talks to), from the status taken at start.
worker_pid_on_port() {
  python3 -c 'import json, sys; print(next(w["pid"] for w in json.load(open(sys.argv[1]))["workers"] if w.get("port") == int(sys.argv[2])))' \
    "$run_dir/status-ready.json" "$1"
}

measure() {
  local round=$1 position=$2 target=$3 out numbers front workers before after cpu
  use_policy "$target"
  out="$run_dir/wrk/round$round-$target.txt"
  # Warm-up, not recorded.
  run_load "$target" "$warmup" "$run_dir/wrk/round$round-$target-warmup.txt" || true
  # CPU time and context switches of the front end and the workers, read right before and right after the run.
  front=$(front_end_pids "$target")
  workers=$(worker_pids "$target")
  before="$run_dir/cpu/round$round-$target-before.json"
  after="$run_dir/cpu/round$round-$target-after.json"
  python3 "$helper" cpu-sample "$before" "front=$front" "workers=$workers" || log "round $round: CPU sample before $target failed"
  # The kernel's split of wrk's connections between the shared socket's workers, read a third of the way through the run (the status command itself takes a moment).
  local sampler=""
  if [[ $target == shared-socket ]]; then
    ( sleep "$(( duration / 3 + 1 ))"
      supervisor_cli status --json --config "$results/supervisor-shared.json" 2>/dev/null | tee "$run_dir/status-shared-round$round.json" | python3 "$helper" split
    ) >"$run_dir/split-round$round.txt" 2>&1 &
    sampler=$!
  fi
  if ! run_load "$target" "$duration" "$out"; then
    log "round $round: the load tool failed against $target: $(tail -n 1 "$out")"
  fi
  if [[ -n $sampler ]]; then
    wait "$sampler" || true
    log "round $round: shared-socket connections per worker (id:connections): $(cat "$run_dir/split-round$round.txt")"
  fi
  python3 "$helper" cpu-sample "$after" "front=$front" "workers=$workers" || log "round $round: CPU sample after $target failed"
  numbers=$(parse_load "$target" "$out")
  cpu=$(python3 "$helper" cpu-usage "$before" "$after" "$(cut -f4 <<<"$numbers")") || cpu=$'NA\tNA\tNA\t0\tNA\tNA\t0'
  printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$position" "$target" "$numbers" "$cpu" >>"$run_dir/results.tsv"
  log "round $round/$rounds, $position/${#targets[@]}: $target: $(awk -F'\t' '{ printf "%s req/s, p50 %s ms, p99 %s ms, errors %d", $1, $2, $3, $5 + $6 + $7 + $8 + $9 }' <<<"$numbers"); per request: $(awk -F'\t' '
    function cpu(u, s) { return (u == "-" || u == "NA" || s == "NA") ? u : sprintf("%.1f us (user %.1f + sys %.1f)", u + s, u, s) }
    { printf "front end %s%s; workers %s", cpu($1, $2), ($3 == "-" ? "" : ", " $3 " context switches"), cpu($5, $6) }' <<<"$cpu")"
}

cpu_model() {
  local model
  model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  [[ -n $model ]] || model=$(LC_ALL=C lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
  echo "${model:-unknown}"
}

versions() {
  local v=()
  v+=("wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')")
  if needs_tls; then v+=("$(openssl version | awk '{ print $1, $2 }')"); fi
  if needs_h2load; then v+=("h2load $(h2load --version 2>&1 | sed -n 's|^h2load nghttp2/||p')"); fi
  v+=("dotnet $(dotnet --version 2>/dev/null)")
  if needs_nginx; then v+=("$("$(find_tool nginx)" -v 2>&1 | sed 's/^nginx version: //')"); fi
  if wants haproxy; then v+=("haproxy $("$(find_tool haproxy)" -v 2>&1 | awk 'NR == 1 { print $3 }')"); fi
  if wants node-cluster; then v+=("node $(node --version)"); fi
  local IFS=,
  echo "${v[*]}" | sed 's/,/, /g'
}

write_report() {
  local report="$results/$stamp.md" idle_text after_text
  idle_text=$(mb "$idle_rss_kb")
  after_text=$(mb "$after_rss_kb")
  {
    echo "# Front-end benchmark, $(date -u -d "@$start_epoch" '+%Y-%m-%d %H:%M:%S UTC')"
    echo
    echo "- command: \`$command_line\`"
    echo "- machine: $cpus CPU(s) (nproc), $(cpu_model), Linux $(uname -r)"
    echo "- software: $(versions)"
    echo "- wrk: \`wrk $(wrk_args "$duration") http://127.0.0.1:PORT/\` (GET /), after a ${initial_warmup} s warm-up of every target before the first round and a ${warmup} s warm-up per target per round (neither recorded)"
    echo "- rounds: $rounds (every target in every round, the order rotated by one each round); targets: ${targets[*]}"
    if needs_tls; then
      echo "- HTTPS: one self-signed ECDSA P-256 certificate made for the run with openssl, served by the supervisor's https:// listener and by nginx (TLS 1.2 and 1.3); -https: \`wrk $(wrk_args "$duration") https://127.0.0.1:PORT/\` (keep-alive HTTP/1.1 over TLS); -h2: \`h2load $(h2load_args "$duration") https://127.0.0.1:PORT/\` (HTTP/2 by ALPN; h2load reports no percentiles, so p50/p99 are n/a: its mean and max per run are in the raw output); -handshake: $handshake_clients parallel \`openssl s_time -connect 127.0.0.1:PORT -new -www / -time $duration\` clients, a full handshake and a GET / per connection: requests/s = new TLS connections per second, CPU per connection"
      echo "- supervisor ÷ this: the supervisor's row of the same kind divided by this row (supervisor-https ÷ nginx-https, supervisor-h2 ÷ nginx-h2, supervisor-handshake ÷ nginx-handshake)"
    fi
    echo "- workers: $workers behind the supervisor, nginx and HAProxy (the same $workers processes: the supervisor's sample workers) and node-cluster; direct = worker 0 alone; nginx worker_processes and HAProxy nbthread = $cpus; worker.cpuAffinity of the supervisors' workers: $worker_cpu_affinity"
    if wants supervisor-pool; then
      echo "- supervisor-pool: a third supervisor over its own sample workers, \`workers\` \`{\"min\": 1, \"max\": $workers, \"spare\": 1, \"idleTimeout\": \"30s\"}\`: it starts with $pool_initial and grows under load (supervisor ÷ supervisor-pool compares it with the fixed $workers of the same run); burst (its initial warm-up, the first load on the idle pool): ${pool_growth:-not measured (no initial warm-up)}; pool sizer decisions before the measured rounds: ${pool_events_before:-n/a}, after them: $(python3 "$helper" pool-events "$(pool_socket)" 2>/dev/null || echo n/a) (the same before and after: no flapping during the rounds)"
    fi
    if wants shared-socket; then
      echo "- shared-socket: a second supervisor, \`frontEnd\` \`sharedSocket\`, over its own $workers sample workers (the same binary, config and count; the proxy-only keys taken out); the kernel's split of wrk's $connections connections between its workers, read a third of the way through each measured run (worker id:connections), round by round: $(for f in "$run_dir"/split-round*.txt; do [[ -f $f ]] && printf '%s; ' "$(cat "$f")"; done)"
    fi
    if [[ -n $supervisor_pid ]]; then
      echo "- supervisor build: $supervisor_build (\`${supervisor_command[*]/#$repo\//}\`)"
      echo "- supervisor RSS (VmRSS of pid $supervisor_pid): **$idle_text** idle (5 s after its workers were ready, before any load; private $(mb "$idle_private_kb"), PSS $(mb "$idle_pss_kb"): the rest is .NET framework code mapped from files, shared with every .NET process); $after_text after the load"
    else
      echo "- supervisor RSS: n/a (not started: no target needs it)"
    fi
    echo "- CPU per request: utime (user) and stime (kernel) of /proc/PID/stat, in clock ticks of 1/$(getconf CLK_TCK) s, summed over the processes, read right before and right after each measured wrk run and divided by the requests wrk counted; front-end context switches: voluntary + involuntary, summed over /proc/PID/task/*/status (see bench/README.md)"
    echo "- raw output (wrk, logs, configs, CPU samples): bench/results/$stamp/"
    echo
    python3 "$helper" tables "$run_dir/results.tsv" "${targets[@]}"
  } >"$report"
  cp "$report" "$results/latest.md"
  cat "$report"
  echo
  echo "Written to bench/results/$stamp.md and bench/results/latest.md"
}

# --------------------------------------------------------------------------------------------------------- main

main() {
  parse_args "$@"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  mkdir -p "$results"
  # One run at a time: two would share the bench config, and measure each other's load.
  exec 9>"$results/.run.lock"
  flock -n 9 || die "another bench/run.sh is running (lock: $results/.run.lock)"

  install_missing
  drop_unavailable
  command -v wrk >/dev/null || die "wrk not found after installation"
  start_epoch=$(date +%s)
  stamp=$(date -u -d "@$start_epoch" +%Y%m%dT%H%M%SZ)
  run_dir="$results/$stamp"
  mkdir -p "$run_dir/wrk" "$run_dir/cpu"
  : >"$run_dir/results.tsv"
  build_project
  if needs_tls; then make_certificate; fi

  idle_rss_kb=""
  idle_private_kb=""
  idle_pss_kb=""
  after_rss_kb=""
  if needs_supervisor; then
    start_supervisor
    # The supervisor's own memory, idle: 5 s after the workers are ready, before any load.
    sleep 5
    idle_rss_kb=$(rss_kb "$supervisor_pid")
    idle_private_kb=$(private_kb "$supervisor_pid")
    idle_pss_kb=$(pss_kb "$supervisor_pid")
    log "supervisor idle RSS: $(mb "$idle_rss_kb")"
    wait_http supervisor "$supervisor_pid" "http://127.0.0.1:$supervisor_port/" "Hello from worker" "$patience" "$run_dir/supervisor.log"
    wait_http direct "$supervisor_pid" "http://127.0.0.1:${worker_ports[0]}/" "Hello from worker 0 " "$patience" "$run_dir/supervisor.log"
    if needs_tls; then wait_http supervisor "$supervisor_pid" "https://127.0.0.1:$supervisor_tls_port/" "Hello from worker" "$patience" "$run_dir/supervisor.log"; fi
  fi
  if wants supervisor-apps; then start_apps_supervisor; fi
  if wants supervisor-pool; then start_pool_supervisor; fi
  if wants shared-socket; then start_shared_supervisor; fi
  if needs_nginx; then start_nginx; fi
  if wants haproxy; then start_haproxy; fi
  if wants node-cluster; then start_node_cluster; fi

  local round position i n=${#targets[@]} target
  if (( syscall_mode )); then
    : >"$run_dir/syscalls.tsv"
    for target in "${targets[@]}"; do count_syscalls "$target"; done
    {
      echo "# System calls per request, $(date -u -d "@$start_epoch" '+%Y-%m-%d %H:%M:%S UTC')"
      echo
      echo "- command: \`$command_line\`"
      echo "- machine: $cpus CPU(s) (nproc), $(cpu_model), Linux $(uname -r); software: $(versions), $(strace -V | head -n 1)"
      echo "- wrk: \`wrk $(wrk_args "$duration") http://127.0.0.1:PORT/\` (GET /) after a ${warmup} s warm-up (https:// for -https, h2load for -h2, openssl s_time for -handshake, as in the throughput runs); $workers sample workers"
      echo
      python3 "$helper" syscall-table "$run_dir/syscalls.tsv"
    } >"$results/$stamp-syscalls.md"
    cp "$results/$stamp-syscalls.md" "$results/latest-syscalls.md"
    cat "$results/$stamp-syscalls.md"
    return 0
  fi
  if (( initial_warmup > 0 )); then
    for target in "${targets[@]}"; do
      use_policy "$target"
      log "initial warm-up of $target: ${initial_warmup}s (not recorded)"
      local watcher=""
      if [[ $target == supervisor-pool ]]; then
        # The first load on the idle pool is the burst: from its start to the first added worker ready.
        python3 "$helper" pool-growth "$(pool_socket)" "$pool_initial" "$(now_ms)" "$initial_warmup" >"$run_dir/pool-growth.txt" 2>&1 &
        watcher=$!
      fi
      run_load "$target" "$initial_warmup" "$run_dir/wrk/initial-warmup-$target.txt" || true
      if [[ -n $watcher ]]; then
        wait "$watcher" || true
        pool_growth=$(cat "$run_dir/pool-growth.txt")
        log "supervisor-pool: $pool_growth"
      fi
    done
  fi
  if wants supervisor-pool; then pool_events_before=$(python3 "$helper" pool-events "$(pool_socket)"); fi
  for (( round = 1; round <= rounds; round++ )); do
    local order=()
    for (( i = 0; i < n; i++ )); do order+=("${targets[(i + round - 1) % n]}"); done
    log "round $round of $rounds: ${order[*]}"
    position=0
    for target in "${order[@]}"; do
      position=$((position + 1))
      measure "$round" "$position" "$target"
    done
  done

  if [[ -n $supervisor_pid ]]; then
    after_rss_kb=$(rss_kb "$supervisor_pid")
    supervisor_cli status --config "$results/supervisor-bench.json" >"$run_dir/status-after.txt" 2>&1 || true
  fi
  write_report
}

main "$@"
