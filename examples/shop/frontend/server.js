// The shop's frontend: one page that shows where the backend and auth services are, as it was
// told by the environment, and loads the products from the backend. Plain Node, no dependencies.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const backendUrl = process.env.API_URL;
const authUrl = process.env.AUTH_URL;

const page = () => `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title></head>
<body>
  <h1>Shop</h1>
  <p>Backend: <a href="${backendUrl}/api/products">${backendUrl}</a></p>
  <p>Auth: <a href="${authUrl}/token">${authUrl}</a></p>
  <ul id="products"></ul>
  <script>
    fetch(${JSON.stringify(`${backendUrl}/api/products`)})
      .then((r) => r.json())
      .then((data) => {
        document.getElementById('products').innerHTML = data.products
          .map((p) => '<li>' + p.name + ' — ' + p.price + ' €</li>').join('');
      });
  </script>
</body></html>`;

const server = createServer((req, res) => {
  if (req.url === '/health') return void res.end('ok');
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(page());
});
server.listen(port, () =>
  console.log(`frontend listening on http://localhost:${port} (backend ${backendUrl})`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
