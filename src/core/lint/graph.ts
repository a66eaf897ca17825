import { exitsOf, type Stage, type Workflow } from '../workflow.ts';
import { error, type LintFinding, type LintRule, warning } from './finding.ts';

/** Entries and terminals exist, terminals have no way out, and every stage is on a path from entry to end. */
export const graphShape: LintRule = ({ parsed, workflow }) => {
  const findings: LintFinding[] = [];
  const { stages } = workflow;
  if (!stages.some((s) => s.type === 'entry')) {
    findings.push(error('no-entry', ['stages'], 'no stage is an entry stage: mark one with type: entry'));
  }
  if (!stages.some((s) => s.type === 'terminal')) {
    findings.push(
      error('no-terminal', ['stages'], 'no stage is a terminal stage: mark the end with type: terminal'),
    );
  }
  for (const stage of stages) {
    const raw = parsed.stages[stage.index];
    if (stage.type === 'terminal' && (raw?.next !== undefined || raw?.transitions !== undefined)) {
      const key = raw?.next !== undefined ? 'next' : 'transitions';
      findings.push(
        error(
          'terminal-has-exit',
          ['stages', stage.index, key],
          `terminal stage "${stage.id}" cannot have ${key}: a run ends there`,
        ),
      );
    } else if (stage.type !== 'terminal' && exitsOf(stage).length === 0) {
      findings.push(
        error(
          'dead-end',
          ['stages', stage.index],
          `stage "${stage.id}" has no way out: give it next or transitions, or make it type: terminal`,
        ),
      );
    }
  }
  // A missing or ambiguous stage id is reported by its own rule; paths through it would only repeat it.
  if (findings.length > 0 || !soundReferences(workflow)) return findings;
  const ids = new Set(stages.map((s) => s.id));
  const edges = (s: Stage) => exitsOf(s).filter((id) => ids.has(id));
  const reachable = walk(
    stages.filter((s) => s.type === 'entry').map((s) => s.id),
    (id) => edges(byId(workflow, id)),
  );
  const reverse = new Map<string, string[]>();
  for (const s of stages) for (const to of edges(s)) reverse.set(to, [...(reverse.get(to) ?? []), s.id]);
  const canFinish = walk(
    stages.filter((s) => s.type === 'terminal').map((s) => s.id),
    (id) => reverse.get(id) ?? [],
  );
  for (const stage of stages) {
    if (!reachable.has(stage.id)) {
      findings.push(
        error(
          'unreachable-stage',
          ['stages', stage.index],
          `stage "${stage.id}" cannot be reached from an entry stage`,
        ),
      );
    } else if (!canFinish.has(stage.id)) {
      findings.push(
        error(
          'no-way-to-end',
          ['stages', stage.index],
          `from stage "${stage.id}" no path leads to a terminal stage`,
        ),
      );
    }
  }
  return findings;
};

/** A loop that nothing bounds (no attempt/retries condition, no person, no max_retries) is a warning. */
export const boundedCycles: LintRule = ({ parsed, workflow }) => {
  if (!soundReferences(workflow)) return [];
  const ids = new Set(workflow.stages.map((s) => s.id));
  const findings: LintFinding[] = [];
  for (const component of stronglyConnected(workflow, ids)) {
    const members = component.map((id) => byId(workflow, id));
    const only = members[0];
    const isLoop = members.length > 1 || (only !== undefined && movesTo(only).includes(only.id));
    if (!isLoop) continue;
    const inside = new Set(component);
    const bounded = members.some(
      (s) =>
        (s.transitions ?? []).some((t) => inside.has(t.to) && /\b(attempt|retries)\b/.test(t.when ?? '')) ||
        waitsForPerson(s) ||
        (parsed.stages[s.index]?.gate?.max_retries !== undefined && s.gate.approver.startsWith('ai:')),
    );
    if (!bounded) {
      const first = members.reduce((a, b) => (b.index < a.index ? b : a));
      findings.push(
        warning(
          'unbounded-cycle',
          ['stages', first.index],
          `the loop ${component.join(' -> ')} has no bound: add a condition on attempt or retries, a human gate, or max_retries`,
        ),
      );
    }
  }
  return findings;
};

/** Where a run can go from a stage; a terminal stage's stray `next` (an error of its own) leads nowhere. */
function movesTo(stage: Stage): string[] {
  return stage.type === 'terminal' ? [] : exitsOf(stage);
}

/** Every stage id is used once and every `next` and `to` names a stage, so the graph means what it shows. */
function soundReferences(workflow: Workflow): boolean {
  const ids = new Set(workflow.stages.map((s) => s.id));
  return (
    ids.size === workflow.stages.length && workflow.stages.every((s) => exitsOf(s).every((to) => ids.has(to)))
  );
}

function waitsForPerson(stage: Stage): boolean {
  const human = (approver: string) => approver === 'manual' || approver === 'review';
  return stage.mode === 'manual' || human(stage.gate.approver) || human(stage.prompt_gate.approver);
}

function byId(workflow: Workflow, id: string): Stage {
  const stage = workflow.stages.find((s) => s.id === id);
  if (stage === undefined) throw new Error(`no stage ${id}`);
  return stage;
}

function walk(start: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const to of next(id)) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}

/** Tarjan's algorithm over the stage graph, in file order. */
function stronglyConnected(workflow: Workflow, ids: Set<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const to of movesTo(byId(workflow, id)).filter((t) => ids.has(t))) {
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.unshift(member);
      } while (member !== id);
      out.push(component);
    }
  };
  for (const stage of workflow.stages) if (!index.has(stage.id)) visit(stage.id);
  return out;
}
