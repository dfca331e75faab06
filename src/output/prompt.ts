/**
 * The terminal prompt: questions are printed and answers read on stdin/stdout, so it lives with
 * everything else a person sees. What is asked, and how answers are read, is in ports/ask.ts.
 */
/** Standard input and output are both terminals: there is someone to ask. */
export function isInteractive(
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

export async function withReadline<T>(
  ask: (line: (prompt: string) => Promise<string>) => Promise<T>,
): Promise<T> {
  // Loaded only to ask: every start of up, run and status would load it for nothing.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // End of input (Ctrl+D, a closed stdin) ends a pending question with an error, the same as an
  // empty answer to the callers; left pending, nothing would keep devlaunch running and it
  // would exit 0 having done nothing.
  const closed = new Promise<never>((_, reject) => {
    rl.once('close', () => reject(new Error('the input ended before an answer')));
  });
  closed.catch(() => {});
  try {
    return await ask((prompt) => Promise.race([rl.question(prompt), closed]));
  } finally {
    rl.close();
  }
}
