#!/usr/bin/env python3
"""Stands in for systemd's socket activation in the tests.

Binds and listens on one TCP socket, then runs the command the way systemd starts a service of a .socket unit: the
socket as file descriptor 3, LISTEN_FDS=1, LISTEN_PID=the command's own PID (set in the forked child, which keeps its
PID across exec), and LISTEN_FDNAMES when --name is given. The socket stays open here the whole time, so when the
command exits, connections wait in its queue; the command is then started again on the same socket (as
`systemctl restart` does with a .socket unit), --starts times in all. With --leak PATH the command also inherits that
file, opened as descriptor 7 without close-on-exec, as a careless service manager or shell might pass one. Prints "listening HOST:PORT", "started PID" and
"exited PID CODE" lines, and exits with the last command's exit code.
"""
import argparse
import os
import socket
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--starts", type=int, default=1)
parser.add_argument("--name")
parser.add_argument("--leak")
parser.add_argument("command", nargs=argparse.REMAINDER)
args = parser.parse_args()
command = args.command[1:] if args.command[:1] == ["--"] else args.command

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((args.host, args.port))
listener.listen(4096)
print(f"listening {args.host}:{args.port}", flush=True)

code = 0
for _ in range(args.starts):
    pid = os.fork()
    if pid == 0:
        if listener.fileno() == 3:
            os.set_inheritable(3, True)
        else:
            # dup2 leaves the new descriptor inheritable.
            os.dup2(listener.fileno(), 3)
        if args.leak:
            leaked = os.open(args.leak, os.O_RDONLY)
            os.dup2(leaked, 7)
        environment = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
        if args.name:
            environment["LISTEN_FDNAMES"] = args.name
        os.execvpe(command[0], command, environment)
    print(f"started {pid}", flush=True)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(f"exited {pid} {code}", flush=True)

sys.exit(code if code >= 0 else 128 - code)
