import { describe, expect, it } from 'vitest';
import { drive, flow } from './driver.ts';

const gated = (gate: string, extra = '') =>
  drive(
    flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: ${gate}
${extra}  - id: done
`),
  );

/** A run whose plan waits at the given gate. */
async function waitingAt(gate: string) {
  const r = await gated(gate);
  r.answer();
  expect(r.status).toBe('awaiting_approval');
  return r;
}

describe('/approve', () => {
  describe("from a user without the gate's permission", () => {
    it('refuses and says who can approve', async () => {
      const r = await waitingAt('{ approver: manual, approvers: { permission: maintain } }');
      r.comment('alice', '/approve');
      expect(r.replies).toEqual([
        '@alice cannot approve: approving needs maintain permission on this repository, and @alice has write. Who may approve: anyone with maintain permission.',
      ]);
      expect(r.status).toBe('awaiting_approval');
      expect(r.record()?.approvals).toEqual([]);
      expect(r.effectsOf('react')).toEqual([]);
    });

    it('refuses an outsider with no permission at all', async () => {
      const r = await waitingAt('manual');
      r.comment('outsider', '/approve');
      expect(r.replies[0]).toContain('@outsider has none');
    });
  });

  describe('when the gate lists users, teams or CODEOWNERS', () => {
    const GATE = '{ approver: manual, approvers: { users: [carol], teams: [acme/leads], codeowners: true } }';

    it('refuses someone on none of the lists', async () => {
      const r = await waitingAt(GATE);
      r.comment('alice', '/approve');
      expect(r.replies).toEqual([
        '@alice cannot approve: only @carol, members of @acme/leads or CODEOWNERS of the changed files (with write permission) may approve this gate.',
      ]);
    });

    it.each([
      ['a listed user', { login: 'carol' }],
      ['a listed user, whatever the case of the login', { login: 'Carol' }],
      ['a member of a listed team', { login: 'bob', teams: ['acme/leads'] }],
      ['a CODEOWNER of the changed files', { login: 'bob', codeowner: true }],
    ])('accepts %s', async (_what, who) => {
      const r = await waitingAt(GATE);
      r.comment(who, '/approve');
      expect(r.status).toBe('completed');
    });

    it('still requires the permission from a listed user', async () => {
      const r = await waitingAt(GATE);
      r.comment('carol', '/approve', 'read');
      expect(r.replies[0]).toContain('approving needs write permission');
      expect(r.status).toBe('awaiting_approval');
    });
  });

  describe('from the author of the issue', () => {
    it('refuses: people do not approve their own requests', async () => {
      const r = await waitingAt('manual');
      r.comment('author', '/approve');
      expect(r.replies).toEqual([
        '@author cannot approve: the author of this issue cannot approve it. Who may approve: anyone with write permission.',
      ]);
    });

    it('accepts when the gate sets allow_author', async () => {
      const r = await waitingAt('{ approver: manual, allow_author: true }');
      r.comment('author', '/approve');
      expect(r.status).toBe('completed');
    });
  });

  describe('from the last person to push to the pull request', () => {
    it('accepts when the gate sets allow_author', async () => {
      const r = await gated('{ approver: manual, allow_author: true }');
      r.push('h2', 'bob');
      r.answer();
      r.comment('bob', '/approve');
      expect(r.status).toBe('completed');
    });

    it('refuses', async () => {
      const r = await gated('manual');
      r.push('h2', 'bob');
      r.answer();
      r.comment('bob', '/approve');
      expect(r.replies[0]).toBe(
        '@bob cannot approve: the last person to push to this pull request cannot approve it. Who may approve: anyone with write permission.',
      );
    });
  });

  describe('from the person who supplied the content of a manual stage', () => {
    it('refuses, so that a second person checks it', async () => {
      const r = await drive(
        flow(`
  - id: plan
    mode: manual
    gate: manual
  - id: done
`),
      );
      r.submit('alice');
      r.comment('alice', '/approve');
      expect(r.replies).toEqual([
        '@alice cannot approve: @alice supplied this content and cannot approve it. Who may approve: anyone with write permission.',
      ]);
      r.comment('bob', '/approve');
      expect(r.status).toBe('completed');
    });
  });

  describe('from a bot', () => {
    it('is ignored without a reply', async () => {
      const r = await waitingAt('manual');
      const result = r.comment('renovate[bot]', '/approve');
      expect(result.changed).toBe(false);
      expect(result.effects).toEqual([]);
      expect(r.record()?.approvals).toEqual([]);
    });
  });

  describe('with min_approvals: 2', () => {
    const TWO = '{ approver: manual, min_approvals: 2 }';

    it('keeps the gate open after one approval and counts it', async () => {
      const r = await waitingAt(TWO);
      r.comment('alice', '/approve');
      expect(r.status).toBe('awaiting_approval');
      expect(r.history.at(-1)).toBe('plan: response approved by @alice (1 of 2)');
      expect(r.effectsOf('react')).toHaveLength(1);
    });

    it('counts the same person once', async () => {
      const r = await waitingAt(TWO);
      r.comment('alice', '/approve');
      r.comment('alice', '/approve again');
      expect(r.replies).toEqual(['@alice already approved this; 1 of 2 approvals so far.']);
      expect(r.status).toBe('awaiting_approval');
      expect(r.record()?.approvals).toHaveLength(1);
    });

    it('passes with a second, distinct person', async () => {
      const r = await waitingAt(TWO);
      r.comment('alice', '/approve');
      r.comment('bob', '/approve');
      expect(r.status).toBe('completed');
      expect(r.history).toContain('plan: response approved by @bob (2 of 2)');
    });
  });
});

describe('/reject', () => {
  describe('from a user who may not decide the gate', () => {
    it('refuses and says who may', async () => {
      const r = await waitingAt('manual');
      r.comment('reader', '/reject no');
      expect(r.replies).toEqual([
        '@reader cannot reject: approving needs write permission on this repository, and @reader has read. Who may decide this gate: anyone with write permission.',
      ]);
      expect(r.status).toBe('awaiting_approval');
    });
  });
});

describe('a pull request review', () => {
  describe('from someone the gate does not accept', () => {
    it('does not count, and the reply says why', async () => {
      const r = await drive(
        flow(`
  - id: implement
    mode: command
    provider: agent
    instructions: Implement
    output: pull_request
    gate: { approver: review, approvers: { permission: maintain } }
  - id: done
`),
      );
      r.answer('implement', { sha: 'h1' });
      r.review('alice', 'approved', 'h1');
      expect(r.replies).toEqual([
        'The review by @alice does not count: approving needs maintain permission on this repository, and @alice has write. Who may approve: anyone with maintain permission.',
      ]);
      expect(r.status).toBe('awaiting_approval');
      r.review('maintainer', 'approved', 'h1');
      expect(r.status).toBe('completed');
    });
  });

  describe('from a bot', () => {
    it('is ignored without a reply', async () => {
      const r = await waitingAt('manual');
      const result = r.review('renovate[bot]', 'approved');
      expect(result.changed).toBe(false);
      expect(result.effects).toEqual([]);
    });
  });
});
