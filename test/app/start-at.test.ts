import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppHarness, type Payload } from '../support/app-harness.ts';

/** A workflow a run may start at either of two manual entry stages. */
const BUG = readFileSync(new URL('../fixtures/two-entry-stages.yml', import.meta.url), 'utf8');

function repository() {
  const h = new AppHarness({ '.github/flowgate/bug.yml': BUG }, { bob: 'maintain' });
  h.newIssue(3, 'alice', 'Saving twice loses a draft');
  return h;
}

describe('/flowgate start <workflow> --at <entry stage>', () => {
  it('starts the run at the entry stage it names', async () => {
    const h = repository();
    await h.comment(3, 'bob', '/flowgate start bug --at fix');
    expect(h.state(3)).toMatchObject({ stage: 'fix', status: 'awaiting_approval' });
    expect(h.state(3).stages.triage).toBeUndefined();
  });

  it('takes --at=<stage> too', async () => {
    const h = repository();
    await h.comment(3, 'bob', '/flowgate start bug --at=fix');
    expect(h.state(3).stage).toBe('fix');
  });

  it('without --at, starts at the first entry stage', async () => {
    const h = repository();
    await h.comment(3, 'bob', '/flowgate start bug');
    expect(h.state(3).stage).toBe('triage');
  });

  it('refuses a stage that is not an entry stage, or does not exist, naming the entry stages; nothing starts', async () => {
    const h = repository();
    await h.comment(3, 'bob', '/flowgate start bug --at done');
    await h.comment(3, 'bob', '/flowgate start bug --at fx');
    expect(h.replies(3)).toEqual([
      '`bug` cannot start at `done`: it is not an entry stage. A run of `bug` can start at `triage`, `fix` (`type: entry`).',
      '`bug` cannot start at `fx`: it has no such stage. A run of `bug` can start at `triage`, `fix` (`type: entry`).',
    ]);
    expect(h.github.botComments(3).filter((c) => c.body.includes('flowgate:status'))).toEqual([]);
  });

  it('answers an unknown option or a missing stage with the usage', async () => {
    const h = repository();
    await h.comment(3, 'bob', '/flowgate start bug --stage fix');
    await h.comment(3, 'bob', '/flowgate start bug --at');
    const replies = h.replies(3);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('unknown option "--stage": /flowgate start <workflow> [--at <entry stage>]');
    expect(replies[1]).toContain('--at needs the entry stage to start at');
  });
});

describe("an entry stage's label", () => {
  const label =
    (name: string, by = 'bob') =>
    (p: Payload) => {
      p.label = { name };
      p.sender.login = by;
      p.sender.type = 'User';
    };

  it('starts a run at that stage where no run of the workflow is in progress', async () => {
    const h = repository();
    await h.deliver('issues', 'labeled', 3, label('flowgate: fix'));
    expect(h.state(3)).toMatchObject({ stage: 'fix', status: 'awaiting_approval' });
  });

  it("moves a run in progress instead (as a stage's label does), and starts nothing more", async () => {
    const h = repository();
    await h.deliver('issues', 'labeled', 3, label('flowgate:bug'));
    expect(h.state(3).stage).toBe('triage');
    await h.deliver('issues', 'labeled', 3, label('flowgate: fix'));
    expect(h.github.botComments(3).filter((c) => c.body.includes('<!-- flowgate:status run='))).toHaveLength(
      1,
    );
  });

  it('starts nothing from the label of a stage that is not an entry', async () => {
    const h = repository();
    await h.deliver('issues', 'labeled', 3, label('flowgate: done'));
    expect(h.github.botComments(3)).toEqual([]);
  });
});
