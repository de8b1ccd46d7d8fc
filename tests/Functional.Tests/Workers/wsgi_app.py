# A WSGI app for the functional tests, served by gunicorn: it knows nothing of the supervisor but WORKER_ID.
# gunicorn itself takes the shared socket (LISTEN_FDS) and sends READY=1 to NOTIFY_SOCKET.
import json
import os


def app(environ, start_response):
    body = json.dumps({"id": int(os.environ.get("WORKER_ID", "-1")), "pid": os.getpid(), "runtime": "gunicorn"}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
