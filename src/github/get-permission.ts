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

/**
 * A user's role on a repository, from the collaborator permission API (not `author_association`, which
 * reports private org members as CONTRIBUTOR). `role_name` tells maintain and triage apart; a custom role
 * falls back to the base `permission` it maps to. A 404 (unknown user) is 'none'.
 * Cost: 1 GET.
 */
export async function getPermission(octokit: Octo, repo: RepoRef, login: string): Promise<Permission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: repo.owner,
      repo: repo.repo,
      username: login,
    });
    if (ROLES.has(data.role_name)) return data.role_name as Permission;
    return ROLES.has(data.permission) ? (data.permission as Permission) : 'none';
  } catch (error) {
    if (requestStatus(error) === 404) return 'none';
    throw error;
  }
}
