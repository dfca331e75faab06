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
  try {
    return await ask((prompt) => rl.question(prompt));
  } finally {
    rl.close();
  }
}
