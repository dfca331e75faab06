// The shop's backend API: lists products and checks the caller against the auth service it is
// given in AUTH_URL. Plain Node, no dependencies.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const authUrl = process.env.AUTH_URL;
const products = [
  { id: 1, name: 'Teapot', price: 18 },
  { id: 2, name: 'Mug', price: 6 },
];

const server = createServer(async (req, res) => {
  res.setHeader('access-control-allow-origin', '*');
  if (req.url === '/health') return void res.end('ok');
  if (req.url === '/api/products') {
    let auth = 'unreachable';
    try {
      const answer = await fetch(`${authUrl}/token`);
      auth = (await answer.json()).issuedBy;
    } catch {}
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ products, auth }));
  }
  res.statusCode = 404;
  res.end('not found');
});
server.listen(port, () =>
  console.log(`backend listening on http://localhost:${port}, auth at ${authUrl}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
