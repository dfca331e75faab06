/**
 * Questions to the person at the terminal: what to do about a foreign holder of a preferred
 * port, and "stop these?" for `devlaunch free`. Askers are injected where they are used, so
 * tests answer with a fake instead of a terminal. Only asked when stdin and stdout are both
 * terminals (see `isInteractive`).
 */
import { withReadline } from '../output/prompt.js';
import type { AskAnswer } from '../plan/port-policy.js';
import { describeHolder } from './explain.js';
import type { PortHolder } from './types.js';

export { isInteractive } from '../output/prompt.js';

export interface PortQuestion {
  service: string;
  /** `service` or `service.name`. */
  label: string;
  port: number;
  holders: PortHolder[];
}

/** Answers a port conflict: stop the holder, use another port, or abort the run. */
export type Asker = (question: PortQuestion) => Promise<AskAnswer>;

/** Answers a yes/no question; false when the person says no (or anything but yes). */
export type Confirmer = (question: string) => Promise<boolean>;

/** The answer typed, read leniently: `s`/`stop`/`k`/`kill`, `r`/`remap`/`a…nother`, else abort. */
export function parseAnswer(text: string): AskAnswer | null {
  const t = text.trim().toLowerCase();
  if (['s', 'stop', 'k', 'kill', '1'].includes(t)) return 'stop';
  if (['r', 'remap', 'o', 'other', 'another', 'u', 'use another port', '2'].includes(t)) {
    return 'remap';
  }
  if (['', 'a', 'abort', 'q', 'quit', 'n', 'no', '3'].includes(t)) return 'abort';
  return null;
}

export function questionText(q: PortQuestion): string {
  const who = q.holders.map((h) => `  ${describeHolder(h)}`).join('\n');
  return (
    `port ${q.port} of ${q.label} is held by another program:\n${who}\n` +
    `[s] stop it   [r] use another port   [a] abort (default)\n> `
  );
}

/** Asks on the terminal until the answer is understood (Ctrl+D aborts). */
export const terminalAsker: Asker = (q) =>
  withReadline(async (line) => {
    let prompt = questionText(q);
    for (;;) {
      const answer = parseAnswer(await line(prompt).catch(() => ''));
      if (answer !== null) return answer;
      prompt = 'please answer s (stop it), r (use another port) or a (abort)\n> ';
    }
  });

/** `question [y/N] `: yes only for y or yes. */
export const terminalConfirmer: Confirmer = (question) =>
  withReadline(async (line) => {
    const answer = await line(`${question} [y/N] `).catch(() => '');
    return /^y(es)?$/i.test(answer.trim());
  });
