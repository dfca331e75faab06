// A foreign program squatting on a port: an HTTP server answering 503 "Stale process" on
// 127.0.0.1:$PORT (0 or unset: a port the OS picks), with a child process (a sleeper) so that
// stopping it must stop a tree. Prints `SQUATTER <port> <pid> <child pid>` once listening.
import { spawn } from 'node:child_process';
import http from 'node:http';

const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
  stdio: 'ignore',
});
const server = http.createServer((_req, res) => {
  res.writeHead(503, { 'content-type': 'text/plain' }).end('Stale process');
});
server.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' }, () => {
  console.log(`SQUATTER ${server.address().port} ${process.pid} ${child.pid}`);
});
setInterval(() => {}, 1 << 30);
