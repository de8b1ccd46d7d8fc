#!/usr/bin/env python3
"""Runs a command in a pseudo-terminal, for the functional tests of `supervisor top`.

usage: run_in_pty.py --wait REGEX [--keys KEYS] [--timeout SECONDS] [--size ROWSxCOLS] -- COMMAND [ARGS...]

Starts COMMAND with a new pseudo-terminal as its controlling terminal (stdin, stdout and stderr), waits until its
output matches REGEX, types KEYS, and waits for it to exit. Every wait is bounded by --timeout; a command still
running at the end is killed (SIGKILL) and reported as such. Prints one JSON object:
  matched        whether REGEX appeared before the timeout
  exitCode       the command's exit code, or null if it was killed by a signal (then "signal" says which)
  killedByUs     true when it did not exit in time
  output         everything it wrote, escape sequences included
  termiosRestored  whether the terminal's settings (echo, canonical mode, ...) are as before it started
"""
import argparse
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wait", required=True)
    parser.add_argument("--keys", default="")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--size", default="40x140")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    rows, cols = (int(n) for n in options.size.split("x"))

    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    settings_before = termios.tcgetattr(slave)

    def make_controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    environment = dict(os.environ, TERM="xterm-256color")
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                             preexec_fn=make_controlling_terminal, env=environment, close_fds=True)

    output = bytearray()
    pattern = re.compile(options.wait.encode("utf-8"))
    deadline = time.monotonic() + options.timeout

    def read_available(wait):
        ready, _, _ = select.select([master], [], [], wait)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                return False
            output.extend(data)
        return True

    matched = False
    while time.monotonic() < deadline and child.poll() is None:
        read_available(0.1)
        if pattern.search(output):
            matched = True
            break

    if matched and options.keys:
        os.write(master, options.keys.encode("utf-8"))

    while time.monotonic() < deadline and child.poll() is None:
        read_available(0.1)

    killed = child.poll() is None
    if killed:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(10)

    # What it wrote just before exiting.
    while read_available(0.2) and select.select([master], [], [], 0)[0]:
        pass

    settings_after = termios.tcgetattr(slave)
    code = child.returncode
    print(json.dumps({
        "matched": matched,
        "exitCode": code if code is not None and code >= 0 else None,
        "signal": -code if code is not None and code < 0 else None,
        "killedByUs": killed,
        "output": output.decode("utf-8", errors="replace"),
        "termiosRestored": settings_after == settings_before,
    }))


if __name__ == "__main__":
    sys.exit(main())
