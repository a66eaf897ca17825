import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { getPermission } from '../../src/github/get-permission.ts';
import { isTeamMember } from '../../src/github/is-team-member.ts';
import { API, NOT_FOUND, octokit, REPO, user } from './github-fixtures.ts';

const PERMISSION = '/repos/acme/widgets/collaborators/mona/permission';

/** GitHub's `repository-collaborator-permission`. */
function permissionAnswer(permission: string, roleName: string) {
  const base = user('mona');
  return {
    permission,
    role_name: roleName,
    user: {
      ...base,
      permissions: { admin: false, maintain: false, push: permission !== 'read', triage: true, pull: true },
      role_name: roleName,
    },
  };
}

describe('getPermission', () => {
  it.each([
    ['admin', 'admin', 'admin'],
    ['write', 'maintain', 'maintain'],
    ['write', 'write', 'write'],
    ['read', 'triage', 'triage'],
    ['read', 'read', 'read'],
    ['write', 'security-reviewer', 'write'],
    ['read', 'docs-helper', 'read'],
    ['none', '', 'none'],
  ])('reads permission %s with role_name %j as %s', async (permission, roleName, expected) => {
    const scope = nock(API).get(PERMISSION).reply(200, permissionAnswer(permission, roleName));
    expect(await getPermission(octokit(), REPO, 'mona')).toBe(expected);
    expect(scope.isDone()).toBe(true);
  });

  it('is none for an unknown user (404)', async () => {
    nock(API).get('/repos/acme/widgets/collaborators/nobody/permission').reply(404, NOT_FOUND);
    expect(await getPermission(octokit(), REPO, 'nobody')).toBe('none');
  });

  it('lets other failures through rather than guess', async () => {
    nock(API).get(PERMISSION).reply(403, { message: 'Resource not accessible by integration' });
    await expect(getPermission(octokit(), REPO, 'mona')).rejects.toMatchObject({ status: 403 });
  });

  it('asks again every time, conditionally with the last answer: a 304 (free) keeps it, a changed role counts at once', async () => {
    const known = new Map();
    const scope = nock(API)
      .get(PERMISSION)
      .reply(200, permissionAnswer('write', 'maintain'), { etag: 'W/"maintain"' })
      .get(PERMISSION)
      .matchHeader('if-none-match', 'W/"maintain"')
      .reply(304, '', { etag: 'W/"maintain"' })
      .get(PERMISSION)
      .matchHeader('if-none-match', 'W/"maintain"')
      .reply(200, permissionAnswer('read', 'read'), { etag: 'W/"read"' });

    expect(await getPermission(octokit(), REPO, 'mona', known)).toBe('maintain');
    expect(await getPermission(octokit(), REPO, 'mona', known)).toBe('maintain');
    expect(await getPermission(octokit(), REPO, 'mona', known)).toBe('read');
    expect(known.get('acme/widgets/mona')).toEqual({ etag: 'W/"read"', permission: 'read' });
    expect(scope.isDone()).toBe(true);
  });

  it('counts a revoked access (404 to the conditional read) as none', async () => {
    const known = new Map([['acme/widgets/mona', { etag: 'W/"maintain"', permission: 'maintain' as const }]]);
    nock(API).get(PERMISSION).matchHeader('if-none-match', 'W/"maintain"').reply(404, NOT_FOUND);
    expect(await getPermission(octokit(), REPO, 'mona', known)).toBe('none');
  });
});

describe('isTeamMember', () => {
  const MEMBERSHIP = '/orgs/acme/teams/reviewers/memberships/mona';
  const membership = (state: string) => ({
    url: `${API}/organizations/1/team/2/memberships/mona`,
    role: 'member',
    state,
  });

  it('is true for an active member', async () => {
    const scope = nock(API).get(MEMBERSHIP).reply(200, membership('active'));
    expect(await isTeamMember(octokit(), 'acme', 'reviewers', 'mona')).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('is false while the invitation is pending', async () => {
    nock(API).get(MEMBERSHIP).reply(200, membership('pending'));
    expect(await isTeamMember(octokit(), 'acme', 'reviewers', 'mona')).toBe(false);
  });

  it('is false for a non-member (404)', async () => {
    nock(API).get(MEMBERSHIP).reply(404, NOT_FOUND);
    expect(await isTeamMember(octokit(), 'acme', 'reviewers', 'mona')).toBe(false);
  });
});
