import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ensureLabels } from '../../src/github/ensure-labels.ts';
import { setIssueLabels } from '../../src/github/set-issue-labels.ts';
import { API, ISSUE, label, octokit, REPO } from './github-fixtures.ts';

const PLAN = { name: 'flowgate: plan', color: '#0e8a16', description: 'flowgate run is in stage plan' };
const AWAITING = { name: 'flowgate: awaiting approval', color: 'fbca04', description: 'a gate waits' };

describe('ensureLabels', () => {
  it('creates only the labels not known, and remembers them', async () => {
    const scope = nock(API)
      .post('/repos/acme/widgets/labels', {
        name: 'flowgate: awaiting approval',
        color: 'fbca04',
        description: 'a gate waits',
      })
      .reply(201, label('flowgate: awaiting approval'));
    const known = new Set(['bug', 'Flowgate: Plan']);

    const created = await ensureLabels(octokit(), REPO, [PLAN, AWAITING], known);

    expect(scope.isDone()).toBe(true);
    expect(created).toEqual(['flowgate: awaiting approval']);
    expect([...known]).toEqual(['bug', 'Flowgate: Plan', 'flowgate: awaiting approval']);
  });

  it('strips # from the color and cuts the description to 100 characters', async () => {
    const long = { ...PLAN, description: 'd'.repeat(140) };
    const scope = nock(API)
      .post('/repos/acme/widgets/labels', {
        name: 'flowgate: plan',
        color: '0e8a16',
        description: `${'d'.repeat(99)}…`,
      })
      .reply(201, label('flowgate: plan'));
    await ensureLabels(octokit(), REPO, [long], new Set());
    expect(scope.isDone()).toBe(true);
  });

  it('counts a label that already exists (422 already_exists) as present', async () => {
    const scope = nock(API)
      .post('/repos/acme/widgets/labels')
      .reply(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        documentation_url: 'https://docs.github.com/rest/issues/labels#create-a-label',
        status: '422',
      });
    const known = new Set<string>();
    expect(await ensureLabels(octokit(), REPO, [PLAN], known)).toEqual([]);
    expect(known.has('flowgate: plan')).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('lets another 422 through', async () => {
    nock(API)
      .post('/repos/acme/widgets/labels')
      .reply(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'Label', code: 'invalid', field: 'color' }],
        documentation_url: 'https://docs.github.com/rest/issues/labels#create-a-label',
        status: '422',
      });
    await expect(
      ensureLabels(octokit(), REPO, [{ ...PLAN, color: 'green' }], new Set()),
    ).rejects.toMatchObject({
      status: 422,
    });
  });

  it('refuses a name over 50 characters before any request', async () => {
    const name = `flowgate: ${'x'.repeat(41)}`;
    await expect(ensureLabels(octokit(), REPO, [PLAN, { ...PLAN, name }], new Set())).rejects.toThrow(
      `label names must be at most 50 characters; too long: "${name}"`,
    );
  });
});

describe('setIssueLabels', () => {
  const LABELS = '/repos/acme/widgets/issues/7/labels';

  it('adds labels in one POST, touching no other label', async () => {
    const scope = nock(API)
      .post(LABELS, { labels: ['flowgate: review'] })
      .reply(200, [label('bug', 1), label('flowgate: review', 4)]);
    const labels = await setIssueLabels(octokit(), ISSUE, ['bug'], ['flowgate: review', 'bug'], []);
    expect(scope.isDone()).toBe(true);
    expect(labels).toEqual(['bug', 'flowgate: review']);
  });

  it('moves a stage in one PUT of the labels read just before, so a label a person added meanwhile stays', async () => {
    const scope = nock(API)
      .get(LABELS)
      .query({ per_page: 100 })
      .reply(
        200,
        [
          label('bug', 1),
          label('flowgate: plan', 2),
          label('flowgate: awaiting approval', 3),
          label('urgent', 5),
        ],
        {
          etag: 'W/"read"',
        },
      )
      .put(LABELS, { labels: ['bug', 'urgent', 'flowgate: review'] })
      .reply(200, [label('bug', 1), label('urgent', 5), label('flowgate: review', 4)], { etag: 'W/"put"' });
    const known = new Map();

    const labels = await setIssueLabels(
      octokit(),
      ISSUE,
      ['bug', 'flowgate: plan', 'flowgate: awaiting approval'],
      ['flowgate: review', 'bug'],
      ['flowgate: plan', 'flowgate: awaiting approval', 'flowgate: done'],
      known,
    );

    expect(scope.isDone()).toBe(true);
    expect(labels).toEqual(['bug', 'urgent', 'flowgate: review']);
    expect(known.get('acme/widgets#7')).toEqual({ etag: 'W/"put"', labels });
  });

  it('re-reads conditionally with the ETag of the last answer: a 304 (free) confirms the labels it knew', async () => {
    const scope = nock(API)
      .get(LABELS)
      .query({ per_page: 100 })
      .matchHeader('if-none-match', 'W/"put"')
      .reply(304)
      .put(LABELS, { labels: ['bug', 'flowgate: done'] })
      .reply(200, [label('bug', 1), label('flowgate: done', 6)], { etag: 'W/"next"' });
    const known = new Map([
      [
        'acme/widgets#7',
        { etag: 'W/"put"', labels: ['bug', 'flowgate: review', 'flowgate: awaiting approval'] },
      ],
    ]);

    const labels = await setIssueLabels(
      octokit(),
      ISSUE,
      ['bug', 'flowgate: review', 'flowgate: awaiting approval'],
      ['flowgate: done'],
      ['flowgate: review', 'flowgate: awaiting approval'],
      known,
    );

    expect(scope.isDone()).toBe(true);
    expect(labels).toEqual(['bug', 'flowgate: done']);
  });

  it('falls back to POST and one DELETE each on an issue with 100 labels or more', async () => {
    const many = Array.from({ length: 100 }, (_, i) => label(i === 0 ? 'flowgate: plan' : `l${i}`, i + 1));
    const scope = nock(API)
      .get(LABELS)
      .query({ per_page: 100 })
      .reply(200, many)
      .post(LABELS, { labels: ['flowgate: review'] })
      .reply(200, [...many, label('flowgate: review', 200)])
      .delete(`${LABELS}/flowgate%3A%20plan`)
      .reply(200, [...many.slice(1), label('flowgate: review', 200)])
      .delete(`${LABELS}/flowgate%3A%20awaiting%20approval`)
      .reply(404, { message: 'Label does not exist' });

    const labels = await setIssueLabels(
      octokit(),
      ISSUE,
      ['flowgate: plan', 'flowgate: awaiting approval'],
      ['flowgate: review'],
      ['flowgate: plan', 'flowgate: awaiting approval'],
    );

    expect(scope.isDone()).toBe(true);
    expect(labels).toHaveLength(100);
    expect(labels).not.toContain('flowgate: plan');
  });

  it('sends nothing when nothing changes', async () => {
    const labels = await setIssueLabels(
      octokit(),
      ISSUE,
      ['bug', 'Flowgate: Plan'],
      ['flowgate: plan'],
      ['wontfix'],
    );
    expect(labels).toEqual(['bug', 'Flowgate: Plan']);
  });

  it('ignores a label that was already removed (404)', async () => {
    const scope = nock(API).delete(`${LABELS}/flowgate%3A%20plan`).reply(404, {
      message: 'Label does not exist',
      documentation_url: 'https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue',
      status: '404',
    });
    expect(await setIssueLabels(octokit(), ISSUE, ['bug', 'flowgate: plan'], [], ['flowgate: plan'])).toEqual(
      ['bug'],
    );
    expect(scope.isDone()).toBe(true);
  });

  it('lets other failures through', async () => {
    nock(API).post(LABELS).reply(403, { message: 'Resource not accessible by integration' });
    await expect(setIssueLabels(octokit(), ISSUE, [], ['x'], [])).rejects.toMatchObject({ status: 403 });
  });
});
