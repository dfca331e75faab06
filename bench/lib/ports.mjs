/** Ports for the peers' runs, handed out by the OS; and the "can it be bound again" check. */
import { createServer } from 'node:net';

function bindOnce(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const got = server.address().port;
      server.close(() => resolve(got));
    });
  });
}

/** `count` distinct ports that were free a moment ago (the OS picks them, as with port: auto). */
export async function freePorts(count) {
  const ports = new Set();
  while (ports.size < count) {
    const port = await bindOnce(0);
    if (port !== null) ports.add(port);
  }
  return [...ports];
}

/** True when every port can be bound on 127.0.0.1 right now. */
export async function allBindable(ports) {
  for (const port of ports) if ((await bindOnce(port)) === null) return false;
  return true;
}
