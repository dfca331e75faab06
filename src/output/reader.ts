/**
 * Reads a service's stdout or stderr into one reused buffer (the same for every stream).
 *
 * Node's stream reading allocates a fresh 64 KiB buffer for every read and hands it on through
 * the stream machinery; under a flood that fresh memory costs a page fault per 4 KiB (15-20 us
 * each on some virtual machines) and a garbage collection every few reads: measured, about 3/4
 * of the CPU time devlaunch spent on merely reading two chatty services. A socket created with
 * Node's `onread` option instead reads into one buffer given once, and calls back with the byte
 * count: no allocation, no stream machinery per read.
 *
 * The pipe of a child process is already wrapped in a socket by child_process when devlaunch
 * gets it, so its handle is moved to a socket of our own made with `onread`; the original socket
 * gives up the handle, emits what it had read before, and closes when the new one does (the
 * child's 'close' event counts on it). Anything else (a PassThrough in tests, a socket already
 * read from or ended, a Node without `useUserBuffer`) is read as a stream, as before.
 */
import { Socket } from 'node:net';
import { flood } from './flood.js';

/**
 * Bytes asked for per read. Larger than libuv's 64 KiB: behind a busy moment a read takes all
 * the pipe holds, and the output of one read goes out in one write (each write to a pipe or
 * socket wakes its reader: fewer, larger writes cost devlaunch much less system time).
 */
const READ_SIZE = 256 << 10;
/**
 * One buffer for every stream: each read is handed on, and its bytes copied where they are
 * kept, before libuv reads anything else (reads and their callbacks never overlap).
 */
let shared: Buffer | null = null;

/** Called once, after so many bytes were read from services in all (`onOutputVolume`). */
let volumeWatch: { left: number; then: () => void } | null = null;

/**
 * Calls `then` once, when `bytes` more bytes have been read from the services' output (all
 * services, all streams, from now). A later call replaces an earlier one not yet called.
 */
export function onOutputVolume(bytes: number, then: () => void): void {
  volumeWatch = { left: bytes, then };
}

function counted(size: number): void {
  if (volumeWatch === null) return;
  volumeWatch.left -= size;
  if (volumeWatch.left > 0) return;
  const { then } = volumeWatch;
  volumeWatch = null;
  then();
}

/**
 * `bytes` is valid during the call only: the same memory receives the next read. A consumer
 * that keeps bytes beyond the call copies them.
 */
export type ChunkListener = (bytes: Buffer) => void;

interface StreamHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
  reading?: boolean;
}

type HandleSocket = Socket & {
  _handle: StreamHandle | null;
  _readableState?: { ended?: boolean };
};

/**
 * Calls `onChunk` with every chunk `stream` delivers, in order, then `onEnd` once (end of
 * stream, close or error). Reading starts at once and never pauses.
 */
export function readChunks(
  stream: NodeJS.ReadableStream,
  onChunk: ChunkListener,
  onEnd: () => void,
): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  const counting: ChunkListener = (bytes) => {
    counted(bytes.length);
    onChunk(bytes);
  };
  const own = adopt(stream, counting);
  const source = own ?? stream;
  source.on('end', end);
  source.on('close', end);
  source.on('error', end);
  if (own === null) {
    stream.on('data', (chunk: Buffer | string) =>
      counting(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    // Flowing mode: read as fast as the child writes, whatever the reader of the output does.
    stream.resume();
  }
}

/** The socket reading `stream`'s pipe into a reused buffer, or null when it cannot be moved. */
function adopt(stream: NodeJS.ReadableStream, onChunk: ChunkListener): Socket | null {
  if (!(stream instanceof Socket) || process.platform === 'win32') return null;
  const original = stream as HandleSocket;
  const handle = original._handle;
  if (
    handle === null ||
    handle === undefined ||
    typeof handle.useUserBuffer !== 'function' ||
    original.destroyed ||
    original.readableEnded ||
    original.readableFlowing === true ||
    original.listenerCount('data') > 0 ||
    original.listenerCount('readable') > 0
  ) {
    return null;
  }
  // What the original socket read before now comes first (it is paused: this empties it).
  for (let chunk = original.read() as Buffer | null; chunk !== null; chunk = original.read()) {
    onChunk(chunk);
  }
  // At end of stream already (the rest follows as events): nothing left to read here.
  if (original.destroyed || original._readableState?.ended !== false) return null;
  // In the prefixer's WebAssembly memory when there is one: a flood is prefixed where it was read.
  shared ??= flood()?.input() ?? Buffer.allocUnsafeSlow(READ_SIZE);
  const buffer = shared;
  let own: Socket;
  try {
    original._handle = null;
    own = new Socket({
      handle,
      readable: true,
      onread: {
        buffer,
        callback: (size: number) => {
          onChunk(buffer.subarray(0, size));
          return true;
        },
      },
    } as ConstructorParameters<typeof Socket>[0]);
  } catch {
    original._handle = handle;
    return null;
  }
  // The child's 'close' waits for its stdio sockets: the original closes with ours.
  own.once('close', () => original.destroy());
  return own;
}
