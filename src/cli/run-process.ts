import { processIo } from './io.ts';
import { runCli } from './main.ts';

/** Runs `flowgate` as this process: its arguments, standard streams and directory; resolves to the exit code. */
export async function runProcess(): Promise<number> {
  // A reader that stops early (`flowgate schema | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return runCli(process.argv.slice(2), processIo());
}
