# A Python worker for the functional tests of several apps: it answers every GET with its app (APP_NAME), its slot
# (WORKER_ID), its pid and the path it was sent, as JSON. With EXIT_AT_BOOT=CODE it exits with CODE before listening:
# a program that crash-loops.
import http.server
import json
import os
import signal
import sys

code = int(os.environ.get("EXIT_AT_BOOT", "0"))
if code:
    print(f"app worker {os.environ.get('WORKER_ID')}: exiting at boot with code {code}", file=sys.stderr, flush=True)
    sys.exit(code)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = json.dumps({
            "app": os.environ.get("APP_NAME"),
            "id": int(os.environ["WORKER_ID"]),
            "pid": os.getpid(),
            "path": self.path,
            "runtime": "python",
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
server = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
server.daemon_threads = True
print(f"app worker {os.environ['WORKER_ID']} of {os.environ.get('APP_NAME')} listening on 127.0.0.1:{os.environ['PORT']}", flush=True)
server.serve_forever()
