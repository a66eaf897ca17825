import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { upsertCheckRun } from '../../src/github/upsert-check-run.ts';
import { API, octokit, REPO } from './github-fixtures.ts';

const SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';
const LIST = `/repos/acme/widgets/commits/${SHA}/check-runs`;

/** A `check-run` as the checks API sends it (trimmed of the app and pull request lists). */
function checkRun(id: number, name: string, externalId: string, status = 'in_progress') {
  return {
    id,
    head_sha: SHA,
    node_id: `MDg6Q2hlY2tSdW4${id}`,
    external_id: externalId,
    url: `${API}/repos/acme/widgets/check-runs/${id}`,
    html_url: `https://github.com/acme/widgets/runs/${id}`,
    details_url: 'https://flowgate.example.com',
    status,
    conclusion: null,
    started_at: '2025-03-01T10:00:00Z',
    completed_at: null,
    output: { title: 'plan', summary: 'old', text: null, annotations_count: 0, annotations_url: '' },
    name,
    check_suite: { id: 5 },
    app: null,
    pull_requests: [],
  };
}

const PARAMS = {
  name: 'flowgate: feature',
  headSha: SHA,
  status: 'in_progress' as const,
  title: 'plan: waiting for approval',
  summary: '| stage | state |\n|---|---|\n| plan | current |',
  externalId: 'run-1',
};

describe('upsertCheckRun', () => {
  it('creates the check run when the commit has none of that name', async () => {
    const scope = nock(API)
      .get(LIST)
      .query({ check_name: 'flowgate: feature', filter: 'all', per_page: '100' })
      .reply(200, { total_count: 0, check_runs: [] })
      .post('/repos/acme/widgets/check-runs', {
        name: 'flowgate: feature',
        head_sha: SHA,
        external_id: 'run-1',
        status: 'in_progress',
        output: { title: 'plan: waiting for approval', summary: PARAMS.summary },
      })
      .reply(201, checkRun(11, 'flowgate: feature', 'run-1'));

    expect(await upsertCheckRun(octokit(), REPO, PARAMS)).toEqual({ id: 11, created: true });
    expect(scope.isDone()).toBe(true);
  });

  it('updates the run with the same external id, even when others share the name', async () => {
    const scope = nock(API)
      .get(LIST)
      .query(true)
      .reply(200, {
        total_count: 2,
        check_runs: [checkRun(12, 'flowgate: feature', 'run-0'), checkRun(13, 'flowgate: feature', 'run-1')],
      })
      .patch('/repos/acme/widgets/check-runs/13', {
        name: 'flowgate: feature',
        external_id: 'run-1',
        status: 'completed',
        conclusion: 'success',
        output: { title: 'done', summary: PARAMS.summary },
      })
      .reply(200, checkRun(13, 'flowgate: feature', 'run-1', 'completed'));

    const result = await upsertCheckRun(octokit(), REPO, {
      ...PARAMS,
      status: 'completed',
      conclusion: 'success',
      title: 'done',
    });

    expect(result).toEqual({ id: 13, created: false });
    expect(scope.isDone()).toBe(true);
  });

  it('updates a run of the same name when none has the external id', async () => {
    const scope = nock(API)
      .get(LIST)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [checkRun(12, 'flowgate: feature', 'run-0')] })
      .patch('/repos/acme/widgets/check-runs/12', (body) => body.external_id === 'run-1')
      .reply(200, checkRun(12, 'flowgate: feature', 'run-1'));
    expect(await upsertCheckRun(octokit(), REPO, PARAMS)).toEqual({ id: 12, created: false });
    expect(scope.isDone()).toBe(true);
  });

  it('cuts the summary to 65,535 characters', async () => {
    let summary = '';
    nock(API)
      .get(LIST)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post('/repos/acme/widgets/check-runs', (body) => {
        summary = body.output.summary;
        return true;
      })
      .reply(201, checkRun(14, 'flowgate: feature', 'run-1'));
    await upsertCheckRun(octokit(), REPO, { ...PARAMS, summary: 's'.repeat(70_000) });
    expect(summary).toHaveLength(65_535);
    expect(summary.endsWith('… (cut to fit GitHub’s limit)')).toBe(true);
  });

  it('refuses a completed run without a conclusion before any request', async () => {
    await expect(upsertCheckRun(octokit(), REPO, { ...PARAMS, status: 'completed' })).rejects.toThrow(
      'a completed check run needs a conclusion',
    );
  });
});
