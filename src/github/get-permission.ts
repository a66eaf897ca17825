import type { KeyedCache } from './keyed-cache.ts';
import { requestStatus } from './request-status.ts';
import type { Octo, Permission, RepoRef } from './types.ts';

const ROLES: ReadonlySet<string> = new Set<Permission>([
  'none',
  'read',
  'triage',
  'write',
  'maintain',
  'admin',
]);

/** A user's role as GitHub last answered it, with the ETag of that answer. */
export interface KnownPermission {
  etag: string;
  permission: Permission;
}

/**
 * A user's role on a repository, from the collaborator permission API (not `author_association`, which
 * reports private org members as CONTRIBUTOR). `role_name` tells maintain and triage apart; a custom role
 * falls back to the base `permission` it maps to. A 404 (unknown user) is 'none'.
 * With `known`, GitHub is still asked every time, conditionally: a 304 (not counted by GitHub's rate limit) says
 * the answer is the one whose ETag `known` holds, so a changed or revoked role counts at once; nothing is assumed
 * for any length of time.
 * Cost: 1 GET (free when unchanged since the answer `known` holds).
 */
export async function getPermission(
  octokit: Octo,
  repo: RepoRef,
  login: string,
  known?: KeyedCache<KnownPermission>,
): Promise<Permission> {
  const key = `${repo.owner}/${repo.repo}/${login.toLowerCase()}`;
  const last = known?.get(key);
  try {
    const { data, headers } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: repo.owner,
      repo: repo.repo,
      username: login,
      ...(last === undefined ? {} : { headers: { 'if-none-match': last.etag } }),
    });
    const permission: Permission = ROLES.has(data.role_name)
      ? (data.role_name as Permission)
      : ROLES.has(data.permission)
        ? (data.permission as Permission)
        : 'none';
    if (typeof headers.etag === 'string' && headers.etag !== '')
      known?.set(key, { etag: headers.etag, permission });
    return permission;
  } catch (error) {
    const status = requestStatus(error);
    if (status === 304 && last !== undefined) return last.permission;
    if (status === 404) return 'none';
    throw error;
  }
}
