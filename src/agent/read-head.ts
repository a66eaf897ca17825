import { runGit } from './run-git.ts';

/** The commit the checkout at `cwd` is at: record it before the agent runs, as `publishChanges`'s `base`. */
export async function readHead(cwd: string): Promise<string> {
  return (await runGit(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd })).stdout.trim();
}
