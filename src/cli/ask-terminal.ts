import { createInterface } from 'node:readline';

/** Asks one question on the terminal; resolves to the line typed, or undefined when input ends (Ctrl-D). */
export function askTerminal(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
    rl.question(question, (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
  });
}
