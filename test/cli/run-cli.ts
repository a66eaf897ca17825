import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the flowgate command in-process, as a user would type it, capturing what it prints. */
export async function flowgate(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; answers?: string[] } = {},
) {
  let stdout = '';
  let stderr = '';
  const answers = options.answers === undefined ? undefined : [...options.answers];
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    // With answers, the command sees a terminal: each question prints and takes the next answer (none left: Ctrl-D).
    ...(answers === undefined
      ? {}
      : {
          ask: async (question: string) => {
            const answer = answers.shift();
            stdout += `${question}${answer ?? ''}\n`;
            return answer;
          },
        }),
  });
  return { code, stdout, stderr } satisfies CliRun;
}
