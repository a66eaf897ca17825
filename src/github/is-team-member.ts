import { requestStatus } from './request-status.ts';
import type { Octo } from './types.ts';

/**
 * Whether `login` is an active member of `org`'s team `teamSlug` (a pending invitation does not count).
 * A 404 (no such team, or not a member) is false. The app needs the organization "Members: read" permission.
 * Cost: 1 GET.
 */
export async function isTeamMember(
  octokit: Octo,
  org: string,
  teamSlug: string,
  login: string,
): Promise<boolean> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org,
      team_slug: teamSlug,
      username: login,
    });
    return data.state === 'active';
  } catch (error) {
    if (requestStatus(error) === 404) return false;
    throw error;
  }
}
