/**
 * The supervisor's end of the control channel: a local socket (named pipe on Windows) that
 * only the user can reach, answering one request per connection (see protocol.ts). The
 * handler does the work; errors it throws travel back as `error` lines, so a DevlaunchError
 * raised in the supervisor prints and exits in the client just as it would have locally.
 */
import { chmodSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { isDevlaunchError } from '../errors.js';
import type { SupervisorEvent } from '../output/events.js';
import { listenAddress, removeAddress } from './address.js';
import { type ControlRequest, encode, parseRequest } from './protocol.js';

/** A request line longer than this is not one of ours. */
const MAX_REQUEST_BYTES = 64 * 1024;

export type ControlHandler = (
  request: ControlRequest,
  send: (event: SupervisorEvent) => void,
) => Promise<unknown>;

export interface ControlServer {
  address: string;
  close(): Promise<void>;
}

export async function serveControl(opts: {
  root: string;
  session: string;
  handler: ControlHandler;
}): Promise<ControlServer> {
  const address = listenAddress(opts.root, opts.session);
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => {}); // a client that went away: its answer is dropped
    readRequest(socket, (line) => void answer(socket, line, opts.handler));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') chmodSync(address, 0o600);
  // The channel serves the session; it must not keep the supervisor alive on its own.
  server.unref();
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
        removeAddress(opts.root, opts.session, address);
      }),
  };
}

function readRequest(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const end = buffered.indexOf('\n');
    if (end !== -1) {
      socket.off('data', onData);
      onLine(buffered.slice(0, end));
    } else if (buffered.length > MAX_REQUEST_BYTES) {
      socket.destroy();
    }
  };
  socket.on('data', onData);
}

async function answer(socket: Socket, line: string, handler: ControlHandler): Promise<void> {
  const write = (text: string) => {
    if (!socket.destroyed) socket.write(text);
  };
  const request: ControlRequest | string = parseRequest(line);
  if (typeof request === 'string') {
    write(
      encode({ type: 'error', error: { message: `bad control request: ${request}`, exitCode: 2 } }),
    );
    socket.end();
    return;
  }
  try {
    const result = await handler(request, (event) => write(encode({ type: 'event', event })));
    write(encode({ type: 'result', result: result ?? null }));
  } catch (error) {
    write(
      encode({
        type: 'error',
        error: isDevlaunchError(error)
          ? { message: error.message, hint: error.hint, exitCode: error.exitCode }
          : { message: error instanceof Error ? error.message : String(error), exitCode: 1 },
      }),
    );
  }
  socket.end();
}
