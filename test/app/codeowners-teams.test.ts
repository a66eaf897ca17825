import { describe, expect, it } from 'vitest';
import { AppHarness } from '../support/app-harness.ts';

const OWNERS = `version: 1
name: owners
on: { labels: [flowgate:owners], subject: pull_request }
stages:
  - id: check
    mode: manual
    gate: { approver: manual, approvers: { codeowners: true, permission: write } }
    next: done
  - id: done
`;

async function waitingForOwners() {
  const h = new AppHarness(
    {
      '.github/flowgate/owners.yml': OWNERS,
      '.github/CODEOWNERS': '* @acme/everyone\n/src/api/ @acme/api-team\n',
    },
    { bob: 'maintain', carol: 'write', dave: 'write', erin: 'write' },
  );
  h.github.teams.set('acme/api-team', new Set(['dave']));
  h.github.teams.set('acme/everyone', new Set(['erin']));
  h.newIssue(5, 'alice', 'Faster API', true);
  h.github.pullFiles.set(5, [
    { filename: 'src/api/routes.ts', status: 'modified', additions: 3, deletions: 1 },
  ]);
  await h.deliver('pull_request', 'labeled', 5, (p) => {
    p.label = { name: 'flowgate:owners' };
    p.sender.login = 'bob';
    p.sender.type = 'User';
  });
  await h.comment(5, 'carol', '/submit The check: the new routes keep the old ones working.');
  return h;
}

describe('a CODEOWNERS gate', () => {
  it('takes the /approve of a member of the team CODEOWNERS names for a changed file', async () => {
    const h = await waitingForOwners();
    expect(h.state(5)).toMatchObject({ stage: 'check', wait: { for: 'approval' } });
    await h.comment(5, 'dave', '/approve');
    expect(h.state(5)).toMatchObject({ status: 'completed' });
  });

  it('refuses a member of a team that owns no changed file (a later rule took it), and says who may approve', async () => {
    const h = await waitingForOwners();
    await h.comment(5, 'erin', '/approve');
    expect(h.state(5)).toMatchObject({ stage: 'check', wait: { for: 'approval' } });
    expect(h.replies(5).at(-1)).toMatch(/^@erin cannot approve: .*CODEOWNERS/);
  });
});
