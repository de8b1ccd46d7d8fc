# An ASGI app for the functional tests, served by uvicorn --fd {fd}: it knows nothing of the supervisor but WORKER_ID.
import json
import os


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = json.dumps({"id": int(os.environ.get("WORKER_ID", "-1")), "pid": os.getpid(), "runtime": "uvicorn"}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
