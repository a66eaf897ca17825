import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { parseExtendsRef } from '../core/load/extends-ref.ts';
import type { ReadSource } from '../core/load/load-workflow.ts';
import { createOctokit } from '../github/create-octokit.ts';
import { readRepoFile } from '../github/read-repo-file.ts';

/**
 * Follows `extends:` for the CLI: a relative path is read next to the extending file; `owner/repo/path@ref` is
 * read through GitHub's API (with GITHUB_TOKEN when set, and GITHUB_API_URL for GitHub Enterprise Server).
 */
export function cliReadSource(cwd: string, env: Record<string, string | undefined>): ReadSource {
  return async (ref, from) => {
    const target = parseExtendsRef(ref);
    if ('local' in target) {
      const name = relative(cwd, resolve(cwd, dirname(from), target.local)) || target.local;
      return { name, text: await readFile(resolve(cwd, name), 'utf8').catch(notFound(name)) };
    }
    const { owner, repo, path, ref: gitRef } = target.remote;
    const octokit = createOctokit({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL });
    const text = await readRepoFile(octokit, target.remote).catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      const hint = status === 404 ? ' (not found, or private: set GITHUB_TOKEN)' : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}${hint}`);
    });
    return { name: `${owner}/${repo}/${path}@${gitRef}`, text };
  };
}

function notFound(name: string) {
  return (error: NodeJS.ErrnoException): never => {
    throw new Error(error.code === 'ENOENT' ? `no such file: ${name}` : error.message);
  };
}
