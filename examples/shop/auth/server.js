// The shop's auth service: issues a fake token. Plain Node, no dependencies.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const server = createServer((req, res) => {
  if (req.url === '/health') return void res.end('ok');
  if (req.url === '/token') {
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ token: 'dev-token', issuedBy: `auth on :${port}` }));
  }
  res.statusCode = 404;
  res.end('not found');
});
server.listen(port, () => console.log(`auth listening on http://localhost:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
