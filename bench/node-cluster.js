// The classic Node.js cluster hello-world, as a point of comparison for bench/run.sh: the primary forks WORKERS
// workers, restarts any that exits, and all of them serve one port (Node's default scheduling on Linux: the primary
// accepts connections and hands them to the workers round-robin).
//
// Usage: node bench/node-cluster.js [PORT] [WORKERS]    (or env PORT, WORKERS; defaults 3000 and one per CPU)
// Listens on 127.0.0.1 only. SIGTERM/SIGINT: stops the workers, then exits 0.
'use strict';

const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');

const port = Number(process.argv[2] || process.env.PORT || 3000);
const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const workers = Number(process.argv[3] || process.env.WORKERS || cpus);

if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(workers) || workers < 1) {
  console.error(`node-cluster: bad PORT (${port}) or WORKERS (${workers})`);
  process.exit(2);
}

if (cluster.isPrimary) {
  let stopping = false;
  let listening = 0;

  cluster.on('listening', (worker) => {
    listening += 1;
    if (listening === workers) {
      console.log(`node-cluster: primary ${process.pid}: ${workers} workers listening on http://127.0.0.1:${port}`);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers).length === 0) process.exit(0);
      return;
    }
    console.log(`node-cluster: worker ${worker.process.pid} exited (${signal || code}); starting another`);
    cluster.fork();
  });

  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`node-cluster: ${signal}: stopping ${Object.keys(cluster.workers).length} workers`);
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGKILL');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < workers; i += 1) cluster.fork();
} else {
  http
    .createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('Hello from clustered worker!');
    })
    .listen(port, '127.0.0.1');
}
