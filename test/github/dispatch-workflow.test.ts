import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { dispatchWorkflow } from '../../src/github/dispatch-workflow.ts';
import { API, NOT_FOUND, octokit, REPO } from './github-fixtures.ts';

const DISPATCH = '/repos/acme/widgets/actions/workflows/flowgate.yml/dispatches';
const PARAMS = {
  workflowFile: '.github/workflows/flowgate.yml',
  ref: 'main',
  inputs: { run: 'r1', stage: 'plan', attempt: '1', nonce: 'n0' },
};

describe('dispatchWorkflow', () => {
  it('posts the ref and the inputs to the workflow file', async () => {
    const scope = nock(API).post(DISPATCH, { ref: 'main', inputs: PARAMS.inputs }).reply(204);
    await dispatchWorkflow(octokit(), REPO, PARAMS);
    expect(scope.isDone()).toBe(true);
  });

  it('explains a missing workflow file (404) and how to add it', async () => {
    nock(API).post(DISPATCH).reply(404, NOT_FOUND);
    await expect(dispatchWorkflow(octokit(), REPO, PARAMS)).rejects.toThrow(
      'cannot start .github/workflows/flowgate.yml in acme/widgets: the workflow file is missing on main. ' +
        'Add .github/workflows/flowgate.yml with an `on: workflow_dispatch` trigger',
    );
  });

  it("explains a refusal (422) with GitHub's reason and the inputs sent", async () => {
    nock(API).post(DISPATCH).reply(422, {
      message: 'Unexpected inputs provided: ["nonce"]',
      documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
      status: '422',
    });
    const error = await dispatchWorkflow(octokit(), REPO, PARAMS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^cannot start \.github\/workflows\/flowgate\.yml in acme\/widgets on main/,
    );
    expect((error as Error).message).toContain('Unexpected inputs provided: ["nonce"]');
    expect((error as Error).message).toContain('declares the inputs run, stage, attempt, nonce');
    expect((error as Error).cause).toMatchObject({ status: 422 });
  });

  it('explains a missing Actions permission (403)', async () => {
    nock(API).post(DISPATCH).reply(403, { message: 'Resource not accessible by integration' });
    await expect(dispatchWorkflow(octokit(), REPO, PARAMS)).rejects.toThrow(
      'needs the "Actions: write" permission',
    );
  });
});
