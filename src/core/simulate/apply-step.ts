import { parseCommands } from '../commands/parse-commands.ts';
import { parseVerdict } from '../verdict.ts';
import { stageById } from '../workflow.ts';
import { commitSha, sha256 } from './offline-provider.ts';
import { actorOf } from './people.ts';
import type { ScriptStep } from './script.ts';
import { fire, note, type Simulation } from './simulation.ts';

/**
 * Applies one scripted step: the events it makes go through the engine, each one in the transcript. `answer` and
 * `approver` steps make no event; they wait for the next dispatch of their stage. Returns whether the run changed.
 */
export function applyStep(sim: Simulation, step: ScriptStep): boolean {
  if (step.kind === 'answer') {
    sim.answers.push(step.answer);
    return false;
  }
  if (step.kind === 'approver') {
    sim.decisions.push(step.approver);
    return false;
  }
  const { workflow, script } = sim;
  const state = sim.state;
  if (state === undefined) throw new Error('the run has not started');
  const actor = (login: string) => actorOf(workflow, script, login);
  switch (step.kind) {
    case 'comment': {
      const id = 5000 + ++sim.counters.comment;
      const { commands, problems } = parseCommands(step.comment.body);
      const notes = problems.map((p) => `not a command (line ${p.line}): ${p.message}`);
      const by = step.comment.by;
      if (commands.length === 0) {
        note(sim, `comment by @${by} with no command: ${firstLine(step.comment.body)}`, notes);
        return false;
      }
      let changed = false;
      commands.forEach((command, i) => {
        const eventId = commands.length === 1 ? `comment:${id}` : `comment:${id}:${i + 1}`;
        const event = {
          id: eventId,
          type: 'command.received' as const,
          command,
          actor: actor(by),
          comment_id: id,
        };
        if (fire(sim, event, `comment by @${by}: ${command.raw.trim()}`, i === 0 ? notes : []))
          changed = true;
      });
      return changed;
    }
    case 'review': {
      const { by, state: verdict, body } = step.review;
      const head = state.subject.head_sha ?? state.stages[state.stage]?.output?.sha256 ?? '';
      const event = {
        id: `review:${++sim.counters.review}`,
        type: 'review.submitted' as const,
        actor: actor(by),
        state: verdict,
        body,
        head_sha: head,
      };
      const said = body.trim() === '' ? '' : `: ${firstLine(body)}`;
      return fire(
        sim,
        event,
        `review by @${by}: ${verdict.replace('_', ' ')} at ${head.slice(0, 7) || '(no head)'}${said}`,
      );
    }
    case 'push': {
      const n = ++sim.counters.push;
      const sha = commitSha(`push:${n}:${step.push.by}`);
      return fire(
        sim,
        { id: `push:${n}`, type: 'head.moved', sha, pusher: step.push.by },
        `push by @${step.push.by}: head ${sha.slice(0, 7)}`,
      );
    }
    case 'content': {
      const n = ++sim.counters.content;
      const { by, body } = step.content;
      const stage = stageById(workflow, state.stage);
      const hash = sha256(body);
      const verdict = stage?.verdict ? parseVerdict(body) : undefined;
      const event = {
        id: `content:${n}`,
        type: 'content.submitted' as const,
        stage: state.stage,
        by: actor(by),
        sha256: hash,
        pointer: { comment_id: 7000 + n },
        ...(verdict === undefined ? {} : { verdict }),
      };
      const changed = fire(
        sim,
        event,
        `content for ${state.stage} by @${by} (${body.length} characters${verdict === undefined ? '' : `, verdict ${verdict.toUpperCase()}`})`,
      );
      if (sim.state?.stages[state.stage]?.output?.sha256 === hash) sim.texts[state.stage] = body;
      return changed;
    }
    case 'wait': {
      const n = ++sim.counters.timer;
      sim.clock += step.wait * 1000;
      return fire(
        sim,
        { id: `timer:${n}`, type: 'timer.fired' },
        `timer fired after waiting ${formatSeconds(step.wait)}`,
      );
    }
    case 'edit': {
      const n = ++sim.counters.edit;
      const { stage, step: which, by } = step.edit;
      const texts = which === 'prompt' ? sim.prompts : sim.texts;
      const text = `${texts[stage] ?? ''}\n\n_Edited by @${by}._`;
      const hash = sha256(text);
      const changed = fire(
        sim,
        { id: `edit:${n}`, type: 'content.edited', stage, step: which, sha256: hash, by },
        `edit of the ${which} of ${stage} by @${by}`,
      );
      const record = sim.state?.stages[stage];
      if ((which === 'prompt' ? record?.prompt?.sha256 : record?.output?.sha256) === hash)
        texts[stage] = text;
      return changed;
    }
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** `90s`, `5m`, `2h`, `1d 2h`. */
export function formatSeconds(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}
