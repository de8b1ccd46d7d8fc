// A plain Node.js worker for the functional tests: it knows nothing of the supervisor but the contract (PORT,
// WORKER_ID, APP_NAME) and, with frontEnd sharedSocket, socket activation: it then also accepts on the inherited socket, fd 3.
const http = require('http');

const port = Number(process.env.PORT);
const id = Number(process.env.WORKER_ID);
const handler = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ id, pid: process.pid, app: process.env.APP_NAME, runtime: 'node' }));
};

http.createServer(handler).listen(port, '127.0.0.1', () => console.log(`node worker ${id} listening on 127.0.0.1:${port}`));
if (process.env.LISTEN_FDS === '1' && process.env.LISTEN_PID === String(process.pid)) {
  http.createServer(handler).listen({ fd: 3 }, () => console.log(`node worker ${id} accepting on the inherited socket (fd 3)`));
}

process.on('SIGTERM', () => process.exit(0));
