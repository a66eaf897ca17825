import type { RunState } from '../state/run-state.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { DEFAULT_PERSON } from './people.ts';
import type { ScriptStep } from './script.ts';

/**
 * What the default script does when the run waits for people: the simulated `maintainer` supplies the content of a
 * manual stage, approves every gate (a pull request review for `review` gates, `/approve` otherwise) and answers
 * every question a model asks (`/answer`), joined by
 * `maintainer-2`, ... when a gate needs more approvals or the content is the maintainer's own, or replaced by the
 * users a gate lists by name. Undefined when no person is needed, or the run is paused or failed (the default
 * script stops there).
 */
export function defaultStep(workflow: Workflow, state: RunState): ScriptStep | undefined {
  const wait = state.wait;
  const stage = stageById(workflow, state.stage);
  if (state.status !== 'awaiting_approval' || stage === undefined || wait === undefined) return undefined;
  const record = state.stages[stage.id];
  if (wait.for === 'content') {
    const verdict = stage.verdict ? '\n\nVerdict: PASS' : '';
    const body = `Content of **${stage.name}**, attempt ${record?.attempt ?? 1}, written by @${DEFAULT_PERSON}.${verdict}`;
    return { kind: 'content', content: { by: DEFAULT_PERSON, body } };
  }
  if (wait.for !== 'approval' && wait.for !== 'answer') return undefined;
  const gate = wait.step === 'prompt' ? stage.prompt_gate : stage.gate;
  const { users, teams, codeowners } = gate.approvers;
  const named = users.length > 0 && teams.length === 0 && !codeowners;
  const content = wait.step === 'prompt' ? record?.prompt?.sha256 : record?.output?.sha256;
  const counted = new Set(
    (record?.approvals ?? [])
      .filter(
        (a) =>
          a.step === wait.step && a.attempt === record?.attempt && a.sha256 === content && a.via !== 'skip',
      )
      .map((a) => a.by.toLowerCase()),
  );
  // Nobody approves their own work: not the subject's author, the last pusher, or who wrote a manual stage's content.
  const own = wait.step === 'response' ? record?.output?.by : undefined;
  const excluded = [state.subject.author, state.subject.last_pusher, own].map((l) => l?.toLowerCase());
  const candidates = named
    ? users
    : Array.from({ length: gate.min_approvals + 2 }, (_, i) =>
        i === 0 ? DEFAULT_PERSON : `${DEFAULT_PERSON}-${i + 1}`,
      );
  const by = candidates.find((l) => !counted.has(l.toLowerCase()) && !excluded.includes(l.toLowerCase()));
  if (by === undefined) return undefined;
  if (wait.for === 'answer') {
    return { kind: 'comment', comment: { by, body: `/answer A simulated answer from @${by}.` } };
  }
  if (gate.approver === 'review') return { kind: 'review', review: { by, state: 'approved', body: '' } };
  return { kind: 'comment', comment: { by, body: '/approve' } };
}
