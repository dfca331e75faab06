/**
 * The CLI's end of the control channel: sends one request to a session's supervisor and
 * returns its result. A supervisor that is not there (killed hard, crashed, never listened)
 * is a `SupervisorGone` error, so a caller can fall back to the recorded state (as `down`
 * does); an error the supervisor reports comes back as the DevlaunchError it was.
 */
import { connect } from 'node:net';
import { DevlaunchError } from '../errors.js';
import type { SupervisorEvent } from '../output/events.js';
import { connectAddress } from './address.js';
import { type ControlRequest, encode, PROTOCOL_VERSION, parseMessage } from './protocol.js';

export class SupervisorGone extends DevlaunchError {
  constructor(session: string, detail: string) {
    super(
      'SUPERVISOR_GONE',
      `the supervisor of session ${session} does not answer (${detail}); it was killed or crashed`,
      { hint: 'devlaunch down stops what it left running; then start again with devlaunch up.' },
    );
  }
}

export interface CallOptions {
  root: string;
  session: string;
  /** Progress the supervisor reports while it works (a restart's stop, start, ready). */
  onEvent?: (event: SupervisorEvent) => void;
}

export function callControl<T = unknown>(opts: CallOptions, request: ControlRequest): Promise<T> {
  const address = connectAddress(opts.root, opts.session);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let connected = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const socket = connect(address, () => {
      connected = true;
      socket.write(encode({ v: PROTOCOL_VERSION, ...request }));
    });
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const message = parseMessage(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (message === null) continue;
        if (message.type === 'event') opts.onEvent?.(message.event);
        else if (message.type === 'result') settle(() => resolve(message.result as T));
        else {
          const { message: text, hint, exitCode } = message.error;
          settle(() => reject(new DevlaunchError('SERVICE_FAILED', text, { hint, exitCode })));
        }
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const detail = connected
        ? `the connection broke: ${error.code ?? error.message}`
        : `nothing listens at ${address}: ${error.code ?? error.message}`;
      settle(() => reject(new SupervisorGone(opts.session, detail)));
    });
    socket.on('close', () => {
      settle(() =>
        reject(new SupervisorGone(opts.session, 'it closed the connection without an answer')),
      );
    });
  });
}
