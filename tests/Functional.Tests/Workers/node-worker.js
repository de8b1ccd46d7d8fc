// A plain Node.js worker for the functional tests: it knows nothing of the supervisor but the contract (PORT, WORKER_ID).
const http = require('http');

const port = Number(process.env.PORT);
const id = Number(process.env.WORKER_ID);

http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ id, pid: process.pid, runtime: 'node' }));
}).listen(port, '127.0.0.1', () => console.log(`node worker ${id} listening on 127.0.0.1:${port}`));

process.on('SIGTERM', () => process.exit(0));
