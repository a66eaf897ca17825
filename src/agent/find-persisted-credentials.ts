import { runGit } from './run-git.ts';

/**
 * The git config keys of the checkout at `cwd` that hold a credential an agent could read there: an
 * `http.*.extraheader` (what actions/checkout writes, directly or through an included file, unless
 * `persist-credentials: false`) or an http(s) remote URL with a user name, password or token in it. Empty when there is none, or
 * when `cwd` is not a git checkout. Values are never returned.
 */
export async function findPersistedCredentials(cwd: string): Promise<string[]> {
  const inside = await runGit(['rev-parse', '--is-inside-work-tree'], { cwd, okCodes: [128] }).catch(
    () => undefined,
  );
  if (inside === undefined || inside.code !== 0) return [];
  // System and global config are off in runGit, so what is listed is the checkout's own (with its includes).
  const listed = await runGit(
    ['config', '--includes', '--null', '--get-regexp', '^(http\\..*|remote\\..*\\.url)$'],
    {
      cwd,
      okCodes: [1],
    },
  );
  const found: string[] = [];
  for (const entry of listed.stdout.split('\0')) {
    const newline = entry.indexOf('\n');
    const key = newline === -1 ? entry : entry.slice(0, newline);
    const value = newline === -1 ? '' : entry.slice(newline + 1);
    if (/^http\.(.*\.)?extraheader$/i.test(key) && value !== '') found.push(key);
    else if (/^remote\..*\.url$/i.test(key) && /^https?:\/\/[^/@\s]+@/i.test(value)) found.push(key);
  }
  return found;
}
