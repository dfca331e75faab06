/**
 * Writing to devlaunch's stdout and stderr without ever blocking on them, and without changing
 * them for anyone else.
 *
 * Node writes to a terminal synchronously on POSIX: a terminal that stops reading (Ctrl+S, a
 * paused pane) would block devlaunch inside write(). Making fd 1 non-blocking would change the
 * open file description shared with the shell and with every program on the terminal (a
 * command run by `devlaunch run` inherits it). Instead, a terminal or pipe is opened again
 * through /proc/self/fd/N: that gives devlaunch a private file description of the same terminal
 * or pipe, which is made non-blocking; libuv then writes as the reader takes the bytes.
 * Anything else (a file, /dev/null, a socket, other platforms) keeps the given stream.
 * Node itself makes a piped stdout non-blocking for everyone sharing it; with a private
 * description for devlaunch's writes, the shared one is put back to blocking.
 */
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { isatty, WriteStream } from 'node:tty';
import type { Destination } from './sink.js';

export interface Writer {
  dest: Destination;
  /** `dest` was opened here (a private file description): the caller closes it. */
  owned: boolean;
}

/** A non-blocking writer to what `stream` writes to, or `stream` itself. */
export function privateWriter(stream: NodeJS.WritableStream): Writer {
  const given: Writer = { dest: stream as unknown as Destination, owned: false };
  const fd = (stream as { fd?: unknown }).fd;
  if (process.platform !== 'linux' || typeof fd !== 'number') return given;
  try {
    const stat = fstatSync(fd);
    const tty = isatty(fd);
    if (!tty && !stat.isFIFO()) return given;
    const flags = constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK;
    const own = openSync(`/proc/self/fd/${fd}`, flags);
    if (tty) {
      const writer = new WriteStream(own);
      // tty.WriteStream makes its handle blocking; this description is ours alone.
      const handle = (writer as unknown as { _handle?: { setBlocking?(b: boolean): number } })
        ._handle;
      if (handle?.setBlocking?.(false) !== 0) {
        writer.destroy();
        return given;
      }
      return { dest: writer, owned: true };
    }
    // Node made the shared pipe non-blocking when it opened process.stdout: a command started
    // with the same stdout (`devlaunch run -- CMD`) would get EAGAIN on a full pipe. devlaunch
    // writes through its own description now, so the shared one goes back to blocking.
    const shared = (stream as unknown as { _handle?: { setBlocking?(b: boolean): number } })
      ._handle;
    shared?.setBlocking?.(true);
    return { dest: new Socket({ fd: own, readable: false, writable: true }), owned: true };
  } catch {
    return given;
  }
}

let muted = false;

/**
 * The terminal is gone (SIGHUP): from now on nothing is written to a terminal through
 * process.stdout or process.stderr, and the terminal's descriptors 0-2 are replaced by
 * /dev/null. Node restores the terminal's settings on descriptors 0-2 when it exits and aborts
 * (exit 134, a native stack dump) if that fails, as it does on a hung-up terminal; a descriptor
 * that no longer is the terminal is left alone. Pipes and files are kept: their readers may
 * still be there.
 */
export function muteTerminal(): void {
  if (muted) return;
  muted = true;
  if (process.platform !== 'win32') {
    for (const fd of [0, 1, 2]) {
      try {
        // isatty() is false on a hung-up terminal: any character device but /dev/null will do.
        const stat = fstatSync(fd);
        if (!stat.isCharacterDevice() || isDevNull(stat.rdev)) continue;
        closeSync(fd);
        // The lowest free descriptor: the one just closed.
        const reopened = openSync('/dev/null', fd === 0 ? 'r' : 'w');
        if (reopened !== fd) closeSync(reopened);
      } catch {}
    }
  }
  for (const stream of [process.stdout, process.stderr]) {
    if (!stream.isTTY) continue;
    stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof stream.write;
  }
}

let devNullRdev: number | null = null;
function isDevNull(rdev: number): boolean {
  devNullRdev ??= statSync('/dev/null').rdev;
  return rdev === devNullRdev;
}

export function terminalMuted(): boolean {
  return muted;
}
