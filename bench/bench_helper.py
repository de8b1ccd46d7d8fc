#!/usr/bin/env python3
"""Small helpers for bench/run.sh: the parts that are clearer in Python than in bash.

  free-port                          print a free TCP port on 127.0.0.1
  make-config SHIPPED OUT            write the bench copy of the shipped supervisor.json (see below)
  set-policy CONFIG POLICY           set proxy.loadBalancing in the bench config (applied live on SIGHUP)
  merge-config CONFIG JSON NAME      merge JSON into a bench config (objects key by key); pid file and control
                                     socket named NAME, so two supervisors can run side by side (bench/ab.sh)
  shared-config CONFIG OUT NAME      from a bench config, write one for frontEnd sharedSocket (the keys that mode refuses,
                                     as supervisor.schema.json says, taken out), with pid file and control socket NAME
  apps-config CONFIG OUT NAME        from a bench config (the short form), write one with "apps": its workers as app
                                     "bench" (Host bench.example) among two other apps of one worker each ("other",
                                     Host other.example; "api", path /api stripped), pid file and control socket NAME
  split                              read `supervisor status --json` on stdin; print each worker's client
                                     connections as "id:N id:N ..." (frontEnd sharedSocket)
  ready N                            read `supervisor status --json` on stdin; if exactly N current workers are
                                     ready, print "SUPERVISOR_PID PORT_OF_WORKER_0 PORT_OF_WORKER_1 ..." and exit 0;
                                     else print a one-line summary and exit 1
  reload-state                       read `supervisor status --json` on stdin; print "GENERATION RESULT DETAIL" of the
                                     running config and the last reload ("- -" before the first)
  pool-growth SOCKET N T0_MS SECONDS poll GET /v1/status on the control socket SOCKET every 50 ms, for at most
                                     SECONDS; print how long after T0_MS (Unix ms: the burst's first request) the
                                     first app had more than N workers ready, and its pool decision lines' count
  control-socket CONFIG              print the control socket a bench config names
  pool-events SOCKET                 print the pool sizer's decisions so far ("up spare 2, down idle 1"; "none")
  get URL PREFIX                     GET URL; exit 0 if it answers 200 with a body starting with PREFIX (https: verified
                                     against $BENCH_CA_FILE, the run's own certificate, when it is set)
  parse-wrk FILE                     print "rps p50_ms p99_ms requests non2xx connect read write timeout" (tab-separated)
  parse-h2load FILE                  the same from h2load's output (p50 and p99 NA: h2load reports no percentiles)
  parse-handshakes FILE              the same from run.sh's summary of parallel `openssl s_time -new` clients
                                     ("connections N", "elapsed_ms M"): rps = new TLS connections per second
  cpu-sample OUT GROUP=PID,... ...   write to OUT (JSON) the CPU time (utime, stime from /proc/PID/stat) and the
                                     context switches (sum over /proc/PID/task/*/status) of each PID, by group;
                                     "GROUP=" with no PIDs: the group does not apply (printed as "-" later)
  cpu-usage BEFORE AFTER REQUESTS    from two cpu-sample files (groups "front" and "workers"), print per request
                                     "front_user_us front_sys_us front_ctxsw front_gone workers_user_us
                                     workers_sys_us workers_gone" (tab-separated; gone = processes of the BEFORE
                                     sample missing from AFTER, left out of the sums; "-" where a group has no PIDs)
  tables RESULTS_TSV TARGET...       print the Markdown results table and the per-round table
  syscalls OUT TARGET STRACE REQS    append to OUT (TSV) the calls and errors per request of each system call in
                                     the summary of `strace -c` (file STRACE), for REQS requests
  syscall-table SYSCALLS_TSV         print the Markdown table of system calls per request, by target

Only the standard library is used.
"""
import json
import os
import re
import socket
import ssl
import statistics
import sys
import urllib.error
import urllib.request


def die(message):
    print(f"bench_helper: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------------------------------------------- free-port

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


# -------------------------------------------------------------------------------------------------- make-config

def string_end(text, i):
    """The index just past the JSON string literal that starts at text[i] (a quote), escapes skipped."""
    j, n = i + 1, len(text)
    while j < n and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    return j + 1


def strip_jsonc(text):
    """JSON with // and /* */ comments and trailing commas -> plain JSON (comments inside strings are kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = string_end(text, i)
            out.append(text[i:j])
            i = j
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    plain = "".join(out)
    # A comma followed only by whitespace and a closing bracket is a trailing comma. Strings were copied verbatim
    # above, so only remove commas outside strings: walk again, tracking strings.
    result = []
    i, n = 0, len(plain)
    while i < n:
        c = plain[i]
        if c == '"':
            j = string_end(plain, i)
            result.append(plain[i:j])
            i = j
            continue
        if c == ",":
            k = i + 1
            while k < n and plain[k] in " \t\r\n":
                k += 1
            if k < n and plain[k] in "]}":
                i += 1
                continue
        result.append(c)
        i += 1
    return "".join(result)


def read_config(path):
    """The config at PATH (JSON with comments) and its first line when that is a // comment (else None)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first_line = text.partition("\n")[0]
    return json.loads(strip_jsonc(text)), (first_line if first_line.startswith("//") else None)


def write_config(path, config, comment):
    """CONFIG as indented JSON at PATH, under COMMENT (a // line) when there is one."""
    with open(path, "w", encoding="utf-8") as f:
        if comment:
            f.write(comment + "\n")
        json.dump(config, f, indent=2)
        f.write("\n")


def make_config(shipped, out):
    """The shipped config, runnable from OUT's folder: relative paths rebased, its own pid file, control socket and
    database there. Everything else (readiness, health, restart policy, ...) is kept as shipped."""
    with open(shipped, encoding="utf-8") as f:
        config = json.loads(strip_jsonc(f.read()))
    src_dir = os.path.dirname(os.path.abspath(shipped))
    out_dir = os.path.dirname(os.path.abspath(out))

    def rebase(path):
        return os.path.relpath(os.path.join(src_dir, path), out_dir)

    worker = config.setdefault("worker", {})
    command = worker.get("command", "")
    if "/" in command and not os.path.isabs(command):
        worker["command"] = rebase(command)
    if "cwd" in worker and not os.path.isabs(worker["cwd"]):
        worker["cwd"] = rebase(worker["cwd"])
    else:
        # Without cwd the workers run in the config file's folder; the shipped args are relative to the shipped
        # folder, so rebase those that are relative paths (e.g. the Worker.dll, which may not be built yet).
        args = []
        for arg in worker.get("args", []):
            if isinstance(arg, str) and arg and not arg.startswith(("-", "/")) and "{" not in arg \
                    and ("/" in arg or os.path.exists(os.path.join(src_dir, arg))):
                arg = rebase(arg)
            args.append(arg)
        if args:
            worker["args"] = args
    # The sample worker's database: a bench copy next to this config, never the shipped data/ one.
    worker.setdefault("env", {})["USERS_DB"] = "users.db" if "cwd" not in worker else os.path.join(out_dir, "users.db")
    config.pop("listen", None)  # given on the command line
    config.pop("workers", None)  # given on the command line
    config["pidFile"] = "supervisor-bench.pids.json"
    socket_path = os.path.join(out_dir, "supervisor-bench.sock")
    # Linux limits a socket path to 107 bytes; in a deep checkout fall back to the runtime folder.
    if len(socket_path.encode()) > 107:
        runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/tmp/cluster-{os.getuid()}"
        socket_path = os.path.join(runtime, "cluster-bench.sock")
    config.setdefault("control", {})["socket"] = socket_path
    write_config(out, config, "// Written by bench/run.sh from " + os.path.relpath(shipped, out_dir) +
                 " (paths rebased to this folder); rewritten on every run.")


def set_policy(path, policy):
    config, comment = read_config(path)
    config.setdefault("proxy", {})["loadBalancing"] = policy
    write_config(path, config, comment)
    return 0


def merge_config(path, merge_json, name):
    config, comment = read_config(path)

    def merge(target, source):
        for key, value in source.items():
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                merge(target[key], value)
            else:
                target[key] = value

    merge(config, json.loads(merge_json))
    out_dir = os.path.dirname(os.path.abspath(path))
    config["pidFile"] = f"{name}.pids.json"
    socket_path = os.path.join(out_dir, f"{name}.sock")
    if len(socket_path.encode()) > 107:
        runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/tmp/cluster-{os.getuid()}"
        socket_path = os.path.join(runtime, f"cluster-{name}.sock")
    config.setdefault("control", {})["socket"] = socket_path
    write_config(path, config, comment)
    return 0


def drop_refused(config, refusals):
    """Drops from config what a schema refuses: the "then" of supervisor.schema.json's rule for frontEnd sharedSocket,
    generated from the supervisor's own description, so this list of proxy-only keys is not a second copy of it."""
    for key, rule in refusals.get("properties", {}).items():
        if key not in config:
            continue
        if rule is False or rule.get("type") == "null" or rule.get("maxProperties") == 0 or ("const" in rule and config[key] != rule["const"]):
            del config[key]
        elif isinstance(config[key], dict) and "properties" in rule:
            drop_refused(config[key], rule)
            if not config[key]:
                del config[key]


def shared_config(path, out, name):
    config, comment = read_config(path)
    config["frontEnd"] = "sharedSocket"
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "supervisor.schema.json"), encoding="utf-8") as f:
        rule = next(r for r in json.load(f)["allOf"] if r.get("if", {}).get("properties", {}).get("frontEnd", {}).get("const") == "sharedSocket")
    drop_refused(config, rule["then"])
    write_config(out, config, comment and comment + " frontEnd sharedSocket.")
    # The same pid file and control socket naming as merge-config.
    return merge_config(out, "{}", name)


APP_KEYS = ("workers", "worker", "restart", "health", "recycle", "reload")


def apps_config(path, out, name):
    config, comment = read_config(path)
    bench = {key: config.pop(key) for key in APP_KEYS if key in config}
    one = {key: value for key, value in bench.items() if key != "workers"}
    config["apps"] = {
        "bench": {"hosts": ["bench.example"], **bench},
        "other": {"hosts": ["other.example"], **one, "workers": 1},
        "api": {"paths": ["/api"], "stripPath": True, **one, "workers": 1},
    }
    write_config(out, config, comment and comment + " Three apps; the measured one is selected by Host.")
    return merge_config(out, "{}", name)


def split():
    try:
        status = json.load(sys.stdin)
    except ValueError:
        print("no status")
        return 1
    workers = [w for w in status.get("workers", []) if not w.get("retiring")]
    print(" ".join(f"{w.get('id')}:{w.get('connections')}" for w in sorted(workers, key=lambda w: w["id"])))
    return 0


# -------------------------------------------------------------------------------------------------------- ready

def ready(wanted):
    try:
        status = json.load(sys.stdin)
    except ValueError:
        print("no status yet")
        return 1
    workers = [w for w in status.get("workers", []) if not w.get("retiring")]
    states = ", ".join(f"{w.get('id')}:{w.get('state')}" for w in workers) or "no workers"
    ok = [w for w in workers if str(w.get("state", "")).lower() == "ready" and w.get("port")]
    if len(workers) != wanted or len(ok) != wanted:
        print(f"{len(ok)} of {wanted} ready ({states})")
        return 1
    ports = [str(w["port"]) for w in sorted(ok, key=lambda w: w["id"])]
    print(status["supervisor"]["pid"], *ports)
    return 0


def reload_state():
    try:
        supervisor = json.load(sys.stdin)["supervisor"]
    except (ValueError, KeyError):
        print("no status")
        return 1
    last = supervisor.get("lastReload") or {}
    print(supervisor["generation"], last.get("result", "-"), last.get("detail", "-"))
    return 0


# --------------------------------------------------------------------------------------------------------- pools

def status_on_socket(path):
    """GET /v1/status on a supervisor's control socket (HTTP/1.0: the answer ends with the connection)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(path)
        s.sendall(b"GET /v1/status HTTP/1.0\r\nHost: supervisor\r\n\r\n")
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") and not head.startswith(b"HTTP/1.0 200"):
        raise OSError(head.split(b"\r\n")[0].decode(errors="replace"))
    return json.loads(body)


def pool_growth(path, initial, t0_ms, seconds):
    import time
    deadline = time.time() + float(seconds)
    while time.time() < deadline:
        try:
            app = status_on_socket(path)["apps"][0]
        except (OSError, ValueError, KeyError, IndexError):
            app = None
        if app is not None and app.get("workersReady", 0) > int(initial):
            elapsed = time.time() * 1000 - int(t0_ms)
            print(f"first added worker ready {elapsed / 1000:.2f} s after the burst's first request ({app['workersReady']} ready then)")
            return 0
        time.sleep(0.05)
    print(f"no worker added within {seconds} s of the burst")
    return 1


def control_socket(path):
    with open(path, encoding="utf-8") as f:
        print(json.loads(strip_jsonc(f.read()))["control"]["socket"])
    return 0


def pool_events(path):
    try:
        events = status_on_socket(path)["apps"][0].get("scaleEvents") or []
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"n/a ({e})")
        return 1
    print(", ".join(f"{e['direction']} {e['reason']} {e['count']}" for e in events) or "none")
    return 0


# ---------------------------------------------------------------------------------------------------------- get

def get(url, prefix):
    context = None
    if url.startswith("https://") and os.environ.get("BENCH_CA_FILE"):
        context = ssl.create_default_context(cafile=os.environ["BENCH_CA_FILE"])
    try:
        # Generous: the first request of a cold .NET worker on a loaded machine can take seconds.
        with urllib.request.urlopen(url, timeout=10, context=context) as response:
            body = response.read().decode("utf-8", "replace")
            if response.status == 200 and body.startswith(prefix):
                print(body)
                return 0
            print(f"{response.status} {body[:200]}")
    except (urllib.error.URLError, OSError) as e:
        print(f"no answer: {e}")
    return 1


# ---------------------------------------------------------------------------------------------------- parse-wrk

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(path):
    """wrk --latency output -> numbers. Missing numbers (wrk failed) are printed as NA."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()

    def latency(percent):
        m = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        return f"{float(m.group(1)) * UNIT_MS[m.group(2)]:.3f}" if m else "NA"

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    requests = re.search(r"^\s*(\d+) requests in", text, re.M)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    fields = [
        rps.group(1) if rps else "NA",
        latency(50),
        latency(99),
        requests.group(1) if requests else "NA",
        non2xx.group(1) if non2xx else "0",
        *(socket_errors.groups() if socket_errors else ("0", "0", "0", "0")),
    ]
    print("\t".join(fields))
    return 0


def parse_h2load(path):
    """h2load output -> the parse-wrk columns. h2load gives min/max/mean latency, no percentiles: p50 and p99 are NA."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    rps = re.search(r"^finished in [\d.]+\w*, ([\d.]+) req/s", text, re.M)
    requests = re.search(r"^requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text, re.M)
    codes = re.search(r"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text, re.M)
    non2xx = int(codes.group(3)) + int(codes.group(4)) if codes else 0
    fields = [
        rps.group(1) if rps else "NA",
        "NA",
        "NA",
        requests.group(1) if requests else "NA",
        str(non2xx),
        "0",
        requests.group(4) if requests else "0",
        "0",
        requests.group(5) if requests else "0",
    ]
    print("\t".join(fields))
    return 0


def parse_handshakes(path):
    """run.sh's summary of its parallel `openssl s_time -new` clients -> the parse-wrk columns (one connection, one
    full TLS handshake and one GET / per "request"); no latency percentiles."""
    values = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            values[key] = value
    connections = int(values.get("connections", "0") or 0)
    elapsed_ms = int(values.get("elapsed_ms", "0") or 0)
    rps = f"{connections / (elapsed_ms / 1000):.2f}" if connections and elapsed_ms else "NA"
    print("\t".join([rps, "NA", "NA", str(connections) if connections else "NA", "0", "0", "0", "0", "0"]))
    return 0


# ------------------------------------------------------------------------------------------ cpu-sample, cpu-usage

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # the unit of utime and stime in /proc/PID/stat (getconf CLK_TCK), 100 on Linux


def read_text(path):
    """A /proc file's text, or None if the process or thread is gone."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:  # FileNotFoundError, ProcessLookupError (ESRCH) when it exits while we read
        return None


def sample_process(pid):
    """{"start", "utime", "stime", "tasks": {tid: context switches}} of one process, or None if it is gone."""
    stat = read_text(f"/proc/{pid}/stat")
    if stat is None:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    # fields[0] is field 3 (state), so field N is fields[N - 3].
    fields = stat[stat.rfind(")") + 2:].split()
    if fields[0] in ("Z", "X"):  # exited, not yet reaped
        return None
    tasks = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tids:
        status = read_text(f"/proc/{pid}/task/{tid}/status")
        if status is None:
            continue  # a thread that ended between listdir and read
        switches = re.findall(r"^(?:voluntary|nonvoluntary)_ctxt_switches:\s+(\d+)", status, re.M)
        tasks[tid] = sum(int(n) for n in switches)
    return {"start": int(fields[19]), "utime": int(fields[11]), "stime": int(fields[12]), "tasks": tasks}


def cpu_sample(out, groups):
    sample = {"clock_ticks": CLOCK_TICKS, "groups": {}}
    for group in groups:
        name, eq, pids = group.partition("=")
        if not eq or not name:
            die(f"cpu-sample: expected GROUP=PID,PID,..., got '{group}'")
        processes = {}
        for pid in filter(None, re.split(r"[,\s]+", pids)):
            if not pid.isdigit():
                die(f"cpu-sample: not a PID: '{pid}'")
            processes[pid] = sample_process(pid)  # None: already gone when sampled
        sample["groups"][name] = processes
    with open(out, "w", encoding="utf-8") as f:
        json.dump(sample, f)
    return 0


def cpu_delta(before, after):
    """CPU ticks (user, sys), context switches and the number of processes gone, between two samples of a group.

    A process counts only if it is in both samples with the same start time (else it exited, or its PID was reused:
    it is 'gone', and its share is missing from the sums). Context switches are summed thread by thread: a thread
    that ended during the run takes its count with it (/proc keeps no per-process total of exited threads); a thread
    that started during the run counts from 0."""
    user = system = switches = gone = 0
    for pid, b in before.items():
        a = after.get(pid)
        if b is None or a is None or a["start"] != b["start"]:
            gone += 1
            continue
        user += a["utime"] - b["utime"]
        system += a["stime"] - b["stime"]
        switches += sum(n - b["tasks"].get(tid, 0) for tid, n in a["tasks"].items())
    return user, system, switches, gone


def cpu_usage(before_path, after_path, requests):
    with open(before_path, encoding="utf-8") as f:
        before = json.load(f)
    with open(after_path, encoding="utf-8") as f:
        after = json.load(f)
    count = int(requests) if requests.isdigit() else 0
    us_per_tick = 1e6 / before["clock_ticks"]
    fields = []
    for group, with_switches in (("front", True), ("workers", False)):
        processes = before["groups"].get(group) or {}
        width = 4 if with_switches else 3
        if not processes:
            fields += ["-"] * width
            continue
        user, system, switches, gone = cpu_delta(processes, after["groups"].get(group) or {})
        if count == 0 or gone == len(processes):
            fields += ["NA"] * (width - 1) + [str(gone)]
            continue
        fields += [f"{user * us_per_tick / count:.3f}", f"{system * us_per_tick / count:.3f}"]
        if with_switches:
            fields.append(f"{switches / count:.4f}")
        fields.append(str(gone))
    print("\t".join(fields))
    return 0


# ------------------------------------------------------------------------------------------------------- tables

ERROR_KINDS = ("non-2xx", "connect", "read", "write", "timeout")


CPU_FIELDS = ("front_user", "front_sys", "front_ctxsw", "front_gone", "workers_user", "workers_sys", "workers_gone")
NOT_APPLICABLE = "-"


def tables(results_tsv, targets):
    """RESULTS_TSV columns: round, position, target, rps, p50_ms, p99_ms, requests, non2xx, connect, read, write,
    timeout (parse-wrk), then front_user_us, front_sys_us, front_ctxsw, front_gone, workers_user_us, workers_sys_us,
    workers_gone (cpu-usage, per request); one line per measured run. Lines without the CPU columns (a results.tsv
    from before they existed) are read too, their CPU shown as n/a."""
    rows = []

    def num(v):
        return None if v == "NA" else float(v)

    def cpu_value(v):
        return NOT_APPLICABLE if v == NOT_APPLICABLE else num(v)

    with open(results_tsv, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 12:
                parts += ["NA"] * len(CPU_FIELDS)
            if len(parts) != 12 + len(CPU_FIELDS):
                continue
            rnd, pos, target, rps, p50, p99, requests, *rest = parts
            errors, cpu = rest[:len(ERROR_KINDS)], rest[len(ERROR_KINDS):]
            rows.append({"round": int(rnd), "pos": int(pos), "target": target, "rps": num(rps), "p50": num(p50),
                         "p99": num(p99), "requests": requests, "errors": [int(e) for e in errors],
                         "cpu": {name: cpu_value(v) for name, v in zip(CPU_FIELDS, cpu)}})

    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def errors_text(counts):
        total = sum(counts)
        if total == 0:
            return "0"
        detail = ", ".join(f"{kind} {n}" for kind, n in zip(ERROR_KINDS, counts) if n)
        return f"**{total}** ({detail})"

    def fmt(value, digits):
        return "failed" if value is None else f"{value:,.{digits}f}"

    def latency(target, value):
        # h2load and openssl s_time report no percentiles.
        return "n/a" if target.endswith(("-h2", "-handshake")) else fmt(value, 2)

    # CPU cells. A run's CPU of a group: (user, sys, gone), each None when unknown; NOT_APPLICABLE when the target has
    # no such processes (direct has no front end, node-cluster no separate workers).
    def cpu_of(row, group):
        c = row["cpu"]
        if c[f"{group}_user"] == NOT_APPLICABLE:
            return NOT_APPLICABLE
        gone = c[f"{group}_gone"]
        return c[f"{group}_user"], c[f"{group}_sys"], int(gone) if gone is not None else 0

    def cpu_text(user, system, gone):
        if user is None or system is None:
            return "n/a"
        return f"{user + system:.1f} ({user:.1f} + {system:.1f}){' †' if gone else ''}"

    def cpu_cell(row, group):
        value = cpu_of(row, group)
        return NOT_APPLICABLE if value == NOT_APPLICABLE else cpu_text(*value)

    def cpu_median_cell(mine, group):
        values = [cpu_of(r, group) for r in mine]
        known = [v for v in values if v != NOT_APPLICABLE]
        if not known:
            return NOT_APPLICABLE if values else "n/a"
        measured = [v for v in known if v[0] is not None and v[1] is not None]
        total = median(u + s for u, s, _ in measured)
        if total is None:
            return "n/a"
        user = median(u for u, _, _ in measured)
        system = median(s for _, s, _ in measured)
        return f"{total:.1f} ({user:.1f} + {system:.1f}){' †' if any(g for _, _, g in known) else ''}"

    def switches_cell(values):
        values = list(values)
        if values and all(v == NOT_APPLICABLE for v in values):
            return NOT_APPLICABLE
        m = median(v for v in values if v != NOT_APPLICABLE)
        return "n/a" if m is None else f"{m:.2f}"

    summary = {}
    for target in targets:
        mine = [r for r in rows if r["target"] == target]
        summary[target] = {
            "rps": median(r["rps"] for r in mine),
            "p50": median(r["p50"] for r in mine),
            "p99": median(r["p99"] for r in mine),
            "errors": [sum(r["errors"][i] for r in mine) for i in range(len(ERROR_KINDS))],
            "failed_runs": sum(1 for r in mine if r["rps"] is None),
            "front_cpu": cpu_median_cell(mine, "front"),
            "workers_cpu": cpu_median_cell(mine, "workers"),
            "front_ctxsw": switches_cell(r["cpu"]["front_ctxsw"] for r in mine),
        }
    # Each HTTPS kind compares with the rows of the same kind: supervisor-https ÷ nginx-https, ...
    def same_kind(prefix, target):
        kind = target.rsplit("-", 1)[-1]
        name = f"{prefix}-{kind}" if kind in ("https", "h2", "handshake") else prefix
        return summary.get(name, {}).get("rps")

    any_gone = any(r["cpu"]["front_gone"] not in (None, NOT_APPLICABLE, 0) or
                   r["cpu"]["workers_gone"] not in (None, NOT_APPLICABLE, 0) for r in rows)

    cpu_headers = "front end CPU µs/req (user + sys) | workers CPU µs/req (user + sys) | front end ctx switches/req"
    print(f"| target | requests/s | p50 ms | p99 ms | errors | supervisor ÷ this | this ÷ nginx | {cpu_headers} |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target in targets:
        s = summary[target]
        base = same_kind("supervisor", target)
        nginx = same_kind("nginx", target)
        ratio = f"{base / s['rps']:.2f}x" if base and s["rps"] else "-"
        to_nginx = f"{s['rps'] / nginx:.2f}x" if nginx and s["rps"] else "-"
        errors = errors_text(s["errors"])
        if s["failed_runs"]:
            errors += f" ({s['failed_runs']} wrk run(s) failed)"
        print(f"| {target} | {fmt(s['rps'], 0)} | {latency(target, s['p50'])} | {latency(target, s['p99'])} | {errors} | {ratio} "
              f"| {to_nginx} | {s['front_cpu']} | {s['workers_cpu']} | {s['front_ctxsw']} |")
    print()
    print("requests/s, p50 and p99: the median over the rounds; errors: the sum over the rounds (wrk's non-2xx/3xx "
          "responses and socket errors). supervisor ÷ this: the supervisor's requests/s divided by this row's "
          "(above 1.00x the supervisor served more, below it served less); this ÷ nginx: this row's requests/s "
          "divided by nginx's; for the -https, -h2 and -handshake rows, both compare with the row of the same kind "
          "(supervisor-https, nginx-https, ...). -handshake rows: requests/s is new TLS connections per second (a "
          "full handshake and one GET / each), CPU per connection; -h2 and -handshake rows have no percentiles (n/a).")
    print()
    print("CPU: the CPU time the processes used during the measured wrk run (utime and stime of /proc/PID/stat, read "
          "right before and right after it), divided by the requests wrk counted; total (user + kernel), each the "
          "median over the rounds (so user + kernel may differ a little from the total). Front end: the supervisor "
          "process; nginx's master and worker processes; HAProxy's process; node-cluster's primary and workers (the "
          "whole tree). Workers: the supervisor's child processes (the sample workers; for direct only worker 0 gets "
          "requests; for shared-socket its own supervisor's). Context switches: voluntary + involuntary, summed over the front end's threads. "
          "-: no such processes (direct has no front end; node-cluster's workers are in its front end).")
    if any_gone:
        print()
        print("†: a process exited during the run (or had already exited); its CPU is missing from the value.")
    print()
    print("Per round (position = order within the round):")
    print()
    print(f"| round | position | target | requests/s | p50 ms | p99 ms | requests | errors | {cpu_headers} |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (r["round"], r["pos"])):
        print(f"| {r['round']} | {r['pos']} | {r['target']} | {fmt(r['rps'], 0)} | {latency(r['target'], r['p50'])} "
              f"| {latency(r['target'], r['p99'])} | {r['requests']} | {errors_text(r['errors'])} "
              f"| {cpu_cell(r, 'front')} | {cpu_cell(r, 'workers')} | {switches_cell([r['cpu']['front_ctxsw']])} |")
    return 0


STRACE_ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(\d+)?\s*([a-z_0-9]+)\s*$")


def syscalls(out, target, strace_file, requests):
    count = int(requests) if requests.isdigit() else 0
    if count == 0:
        die(f"syscalls: no requests counted for {target}")
    with open(strace_file, encoding="utf-8") as f, open(out, "a", encoding="utf-8") as o:
        for line in f:
            m = STRACE_ROW.match(line)
            if m and m.group(3) != "total":
                calls, errors, name = int(m.group(1)), int(m.group(2) or 0), m.group(3)
                o.write(f"{target}\t{name}\t{calls / count:.4f}\t{errors / count:.4f}\t{count}\n")
    return 0


def syscall_table(path):
    """Rows: target, syscall, calls/request, errors/request, requests. One column per target, one row per system
    call (those above 0.01 per request for some target), the busiest first; each cell "calls (errors)"."""
    cells, targets, requests = {}, [], {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            target, name, calls, errors, count = line.rstrip("\n").split("\t")
            if target not in targets:
                targets.append(target)
            requests[target] = count
            cells[(target, name)] = (float(calls), float(errors))
    names = sorted({n for _, n in cells}, key=lambda n: -max(cells.get((t, n), (0, 0))[0] for t in targets))
    names = [n for n in names if max(cells.get((t, n), (0, 0))[0] for t in targets) >= 0.01]
    print("| system call | " + " | ".join(targets) + " |")
    print("|---|" + "---:|" * len(targets))
    for name in names:
        row = []
        for t in targets:
            calls, errors = cells.get((t, name), (0.0, 0.0))
            row.append(f"{calls:.2f}" + (f" ({errors:.2f} failed)" if errors >= 0.005 else ""))
        print(f"| `{name}` | " + " | ".join(row) + " |")
    total = [sum(c for (t2, _), (c, _) in cells.items() if t2 == t) for t in targets]
    print("| **all** | " + " | ".join(f"**{v:.2f}**" for v in total) + " |")
    print()
    print("System calls per request made by each target's front-end processes (the supervisor process; nginx's "
          "master and workers; HAProxy's process; node-cluster's whole tree; for direct, the one worker), counted by "
          "`strace -c -f` attached during one wrk run and divided by the requests wrk counted ("
          + ", ".join(f"{t}: {requests[t]}" for t in targets) + "). strace slows every system call down, so the "
          "rates, not the counts, are off; waits such as epoll_wait may batch differently at full speed.")
    return 0


def main(argv):
    if not argv:
        die("usage: bench_helper.py COMMAND ... (bench_helper.py --help lists the commands)")
    command, args = argv[0], argv[1:]
    if command in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0
    if command == "free-port" and not args:
        return free_port()
    if command == "merge-config" and len(args) == 3:
        return merge_config(*args)
    if command == "set-policy" and len(args) == 2:
        return set_policy(*args)
    if command == "make-config" and len(args) == 2:
        return make_config(*args)
    if command == "shared-config" and len(args) == 3:
        return shared_config(*args)
    if command == "apps-config" and len(args) == 3:
        return apps_config(*args)
    if command == "split" and not args:
        return split()
    if command == "ready" and len(args) == 1:
        return ready(int(args[0]))
    if command == "reload-state" and not args:
        return reload_state()
    if command == "pool-growth" and len(args) == 4:
        return pool_growth(*args)
    if command == "control-socket" and len(args) == 1:
        return control_socket(args[0])
    if command == "pool-events" and len(args) == 1:
        return pool_events(args[0])
    if command == "get" and len(args) == 2:
        return get(*args)
    if command == "parse-wrk" and len(args) == 1:
        return parse_wrk(args[0])
    if command == "parse-h2load" and len(args) == 1:
        return parse_h2load(args[0])
    if command == "parse-handshakes" and len(args) == 1:
        return parse_handshakes(args[0])
    if command == "cpu-sample" and len(args) >= 1:
        return cpu_sample(args[0], args[1:])
    if command == "cpu-usage" and len(args) == 3:
        return cpu_usage(*args)
    if command == "syscalls" and len(args) == 4:
        return syscalls(*args)
    if command == "syscall-table" and len(args) == 1:
        return syscall_table(args[0])
    if command == "tables" and len(args) >= 2:
        return tables(args[0], args[1:])
    die(f"bad arguments: {' '.join(argv)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
