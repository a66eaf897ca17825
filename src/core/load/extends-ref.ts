/** A file in a repository at a ref. */
export interface RepoFileRef {
  owner: string;
  repo: string;
  path: string;
  ref?: string;
}

const REMOTE = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/([^@]+)@(.+)$/;

/** `owner/repo/path@ref` names a file in another repository; anything else is a path next to the extending file. */
export function parseExtendsRef(ref: string): { remote: RepoFileRef } | { local: string } {
  const match = REMOTE.exec(ref);
  if (match === null) return { local: ref };
  const [, owner = '', repo = '', path = '', gitRef = ''] = match;
  return { remote: { owner, repo, path, ref: gitRef } };
}
