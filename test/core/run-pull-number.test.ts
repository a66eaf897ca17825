import { describe, expect, it } from 'vitest';
import { codeStagePull, runPullNumber } from '../../src/core/state/run-pull-number.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { sampleStageRecord, sampleState, sha } from './state-fixture.ts';

/** Issue #42's run with implement's output on pull request #43 at `a...`, and revise's (when given) at `c...`. */
function withCode(revise = false): RunState {
  const base = sampleState();
  const code = (digit: string) =>
    sampleStageRecord({ output: { attempt: 1, sha256: sha(digit), pointer: { pull_number: 43 } } });
  return {
    ...base,
    stages: {
      ...base.stages,
      implement: code('a'),
      ...(revise ? { review: sampleStageRecord(), revise: code('c') } : {}),
    },
  };
}

describe("the run's pull request", () => {
  it('is none on an issue before a code stage ran, and the subject on a pull request', () => {
    expect(runPullNumber(sampleState())).toBeUndefined();
    const onPull = sampleState();
    onPull.subject.kind = 'pull_request';
    expect(runPullNumber(onPull)).toBe(42);
  });

  it('is the one a code stage opened, on an issue and on a pull request alike', () => {
    expect(runPullNumber(withCode())).toBe(43);
    const onPull = withCode();
    onPull.subject.kind = 'pull_request';
    expect(runPullNumber(onPull)).toBe(43);
  });

  it('is, for a later code stage, the one to push onto, with every head flowgate pushed to it', () => {
    expect(codeStagePull(withCode(), 'revise')).toEqual({ number: 43, heads: [sha('a')] });
    expect(codeStagePull(withCode(true), 'revise')).toEqual({ number: 43, heads: [sha('a'), sha('c')] });
  });

  it('is none for the stage that opened it: its own retry replaces its commit', () => {
    expect(codeStagePull(withCode(), 'implement')).toBeUndefined();
  });
});
