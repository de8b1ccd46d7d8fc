#!/usr/bin/env python3
"""Small helpers for bench/run.sh: the parts that are clearer in Python than in bash.

  free-port                          print a free TCP port on 127.0.0.1
  make-config SHIPPED OUT            write the bench copy of the shipped supervisor.json (see below)
  set-policy CONFIG POLICY           set proxy.loadBalancing in the bench config (applied live on SIGHUP)
  merge-config CONFIG JSON NAME      merge JSON into a bench config (objects key by key); pid file and control
                                     socket named NAME, so two supervisors can run side by side (bench/ab.sh)
  ready N                            read `supervisor status --json` on stdin; if exactly N current workers are
                                     ready, print "SUPERVISOR_PID PORT_OF_WORKER_0 PORT_OF_WORKER_1 ..." and exit 0;
                                     else print a one-line summary and exit 1
  get URL PREFIX                     GET URL; exit 0 if it answers 200 with a body starting with PREFIX
  parse-wrk FILE                     print "rps p50_ms p99_ms requests non2xx connect read write timeout" (tab-separated)
  tables RESULTS_TSV TARGET...       print the Markdown results table and the per-round table

Only the standard library is used.
"""
import json
import os
import re
import socket
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

def strip_jsonc(text):
    """JSON with // and /* */ comments and trailing commas -> plain JSON (comments inside strings are kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
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
            j = i + 1
            while j < n and plain[j] != '"':
                j += 2 if plain[j] == "\\" else 1
            result.append(plain[i:j + 1])
            i = j + 1
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
    with open(out, "w", encoding="utf-8") as f:
        f.write("// Written by bench/run.sh from " + os.path.relpath(shipped, out_dir) +
                " (paths rebased to this folder); rewritten on every run.\n")
        json.dump(config, f, indent=2)
        f.write("\n")


def set_policy(path, policy):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first_line, _, rest = text.partition("\n")
    config = json.loads(strip_jsonc(text))
    config.setdefault("proxy", {})["loadBalancing"] = policy
    with open(path, "w", encoding="utf-8") as f:
        if first_line.startswith("//"):
            f.write(first_line + "\n")
        json.dump(config, f, indent=2)
        f.write("\n")
    return 0


def merge_config(path, merge_json, name):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first_line = text.partition("\n")[0]
    config = json.loads(strip_jsonc(text))

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
    with open(path, "w", encoding="utf-8") as f:
        if first_line.startswith("//"):
            f.write(first_line + "\n")
        json.dump(config, f, indent=2)
        f.write("\n")
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


# ---------------------------------------------------------------------------------------------------------- get

def get(url, prefix):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
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


# ------------------------------------------------------------------------------------------------------- tables

ERROR_KINDS = ("non-2xx", "connect", "read", "write", "timeout")


def tables(results_tsv, targets):
    """RESULTS_TSV columns: round, position, target, rps, p50_ms, p99_ms, requests, non2xx, connect, read, write,
    timeout (one line per measured run)."""
    rows = []
    with open(results_tsv, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 12:
                continue
            rnd, pos, target, rps, p50, p99, requests, *errors = parts
            num = lambda v: None if v == "NA" else float(v)  # noqa: E731
            rows.append({"round": int(rnd), "pos": int(pos), "target": target, "rps": num(rps), "p50": num(p50),
                         "p99": num(p99), "requests": requests, "errors": [int(e) for e in errors]})

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

    summary = {}
    for target in targets:
        mine = [r for r in rows if r["target"] == target]
        summary[target] = {
            "rps": median(r["rps"] for r in mine),
            "p50": median(r["p50"] for r in mine),
            "p99": median(r["p99"] for r in mine),
            "errors": [sum(r["errors"][i] for r in mine) for i in range(len(ERROR_KINDS))],
            "failed_runs": sum(1 for r in mine if r["rps"] is None),
        }
    base = summary.get("supervisor", {}).get("rps")

    print("| target | requests/s | p50 ms | p99 ms | errors | supervisor ÷ this |")
    print("|---|---:|---:|---:|---:|---:|")
    for target in targets:
        s = summary[target]
        ratio = f"{base / s['rps']:.2f}x" if base and s["rps"] else "-"
        errors = errors_text(s["errors"])
        if s["failed_runs"]:
            errors += f" ({s['failed_runs']} wrk run(s) failed)"
        print(f"| {target} | {fmt(s['rps'], 0)} | {fmt(s['p50'], 2)} | {fmt(s['p99'], 2)} | {errors} | {ratio} |")
    print()
    print("requests/s, p50 and p99: the median over the rounds; errors: the sum over the rounds (wrk's non-2xx/3xx "
          "responses and socket errors). supervisor ÷ this: the supervisor's requests/s divided by this row's "
          "(above 1.00x the supervisor served more, below it served less).")
    print()
    print("Per round (position = order within the round):")
    print()
    print("| round | position | target | requests/s | p50 ms | p99 ms | requests | errors |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (r["round"], r["pos"])):
        print(f"| {r['round']} | {r['pos']} | {r['target']} | {fmt(r['rps'], 0)} | {fmt(r['p50'], 2)} "
              f"| {fmt(r['p99'], 2)} | {r['requests']} | {errors_text(r['errors'])} |")
    return 0


def main(argv):
    if not argv:
        die("usage: bench_helper.py free-port|make-config|ready|get|parse-wrk|tables ...")
    command, args = argv[0], argv[1:]
    if command == "free-port" and not args:
        return free_port()
    if command == "merge-config" and len(args) == 3:
        return merge_config(*args)
    if command == "set-policy" and len(args) == 2:
        return set_policy(*args)
    if command == "make-config" and len(args) == 2:
        return make_config(*args)
    if command == "ready" and len(args) == 1:
        return ready(int(args[0]))
    if command == "get" and len(args) == 2:
        return get(*args)
    if command == "parse-wrk" and len(args) == 1:
        return parse_wrk(args[0])
    if command == "tables" and len(args) >= 2:
        return tables(args[0], args[1:])
    die(f"bad arguments: {' '.join(argv)}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) or 0)
