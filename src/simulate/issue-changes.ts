import { parseActionOutput } from '../core/action-output.ts';
import type { EffectView } from '../core/simulate/simulation.ts';
import type { MemoryGitHub } from '../memory-github/memory-github.ts';

/** What a person sees of the subject and the run's pull requests at one moment. */
export interface IssueSnapshot {
  comments: Map<number, { login: string; body: string }>;
  labels: string[];
  state: string;
  locked: boolean;
  assignees: string[];
  pulls: Map<number, { head: string; requested: string[] }>;
  checks: Map<string, string>;
  dispatches: number;
  webhooks: number;
}

const STATUS = /<!-- flowgate:status run=/;
const REPLY_MARKER = /(\n*<!-- flowgate:(reply|handled) [^>]* -->)+\s*$/;

/** The subject `number` and every pull request as they are now. */
export function snapshot(github: MemoryGitHub, number: number, webhooks: number): IssueSnapshot {
  const issue = github.issues.get(number);
  return {
    comments: new Map(
      github.comments.filter((c) => c.issue === number).map((c) => [c.id, { login: c.login, body: c.body }]),
    ),
    labels: [...(issue?.labels ?? [])],
    state: issue?.state ?? 'open',
    locked: issue?.locked === true,
    assignees: [...(issue?.assignees ?? [])],
    pulls: new Map(
      [...github.pulls.entries()].map(([n, p]) => [n, { head: p.head, requested: [...(p.requested ?? [])] }]),
    ),
    checks: new Map(
      github.checkRuns.map((c) => [
        `${c.name}@${c.head_sha}`,
        c.conclusion === null ? c.status : `${c.status} (${c.conclusion})`,
      ]),
    ),
    dispatches: github.dispatches.length,
    webhooks,
  };
}

/**
 * What changed on GitHub between two snapshots, as transcript lines: comments flowgate or the Action posted or
 * edited (not the status comment, which every change edits, nor people's comments, which are the events
 * themselves), labels, the check runs, pull requests opened or pushed to, reviews requested, assignees, the
 * subject closed, reopened or locked, and workflow dispatches.
 */
export function changes(
  before: IssueSnapshot,
  after: IssueSnapshot,
  github: MemoryGitHub,
  webhooks: { url: string }[],
): EffectView[] {
  const views: EffectView[] = [];
  for (const [id, comment] of after.comments) {
    const old = before.comments.get(id);
    if (old?.body === comment.body || STATUS.test(comment.body) || !comment.login.endsWith('[bot]')) continue;
    const output = parseActionOutput(comment.body);
    if (output?.ok === true) {
      const o = output.output;
      const what = o.kind === 'failure' ? 'failure' : o.kind;
      views.push({
        label: old === undefined ? 'output' : 'edited',
        text: `${o.stage}, attempt ${o.attempt}: ${what}${'verdict' in o && o.verdict !== undefined ? `, verdict ${o.verdict.toUpperCase()}` : ''}: ${firstLine(output.visible)}`,
      });
      continue;
    }
    views.push({
      label: old === undefined ? 'reply' : 'edited',
      text: comment.body.replace(REPLY_MARKER, ''),
    });
  }
  const added = after.labels.filter((l) => !before.labels.includes(l));
  const removed = before.labels.filter((l) => !after.labels.includes(l));
  const labels = [...added.map((l) => `+${l}`), ...removed.map((l) => `-${l}`)].join(', ');
  if (labels !== '') views.push({ label: 'labels', text: labels });
  for (const [key, status] of after.checks) {
    if (before.checks.get(key) !== status)
      views.push({ label: 'check', text: `${status} at ${key.slice(-40, -33)}` });
  }
  for (const [n, pull] of after.pulls) {
    const old = before.pulls.get(n);
    if (old === undefined) views.push({ label: 'pull', text: `#${n} opened at ${pull.head.slice(0, 7)}` });
    else if (old.head !== pull.head)
      views.push({ label: 'pull', text: `#${n} pushed to ${pull.head.slice(0, 7)}` });
    const asked = pull.requested.filter((r) => !(old?.requested ?? []).includes(r));
    if (asked.length > 0) views.push({ label: 'reviewers', text: `#${n}: ${asked.join(', ')}` });
  }
  const assigned = after.assignees.filter((a) => !before.assignees.includes(a));
  if (assigned.length > 0) views.push({ label: 'assigned', text: assigned.map((a) => `@${a}`).join(', ') });
  if (after.state !== before.state)
    views.push({ label: 'issue', text: after.state === 'closed' ? 'closed' : 'reopened' });
  if (after.locked && !before.locked) views.push({ label: 'issue', text: 'locked' });
  for (const d of github.dispatches.slice(before.dispatches, after.dispatches))
    views.push({ label: 'dispatch', text: `${d.workflow} on ${d.ref} ${JSON.stringify(d.inputs)}` });
  for (const w of webhooks.slice(before.webhooks, after.webhooks))
    views.push({ label: 'webhook', text: `POST ${w.url}` });
  return views;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
