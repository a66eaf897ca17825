import { sha256Hex } from '../action-output.ts';
import type { Pointer, Usage } from '../state/run-state.ts';
import { liquid } from '../template.ts';
import { parseVerdict, rewriteVerdict, type Verdict } from '../verdict.ts';
import { type Stage, stageById } from '../workflow.ts';
import { costOf, priceOf } from './prices.ts';
import { promptContext, type SimulatedRun } from './prompt-context.ts';
import type { StepOf } from './script.ts';

export type AnswerOverride = StepOf<'answer'>['answer'];
export type ApproverOverride = StepOf<'approver'>['approver'];

/** One dispatch the run waits for, as the Action would receive it. */
export interface OfflineRequest {
  run: SimulatedRun;
  stage: string;
  step: 'prompt' | 'response' | 'approver';
  /** For an AI approver: which step it judges. */
  of?: 'prompt' | 'response';
  /** A scripted answer for this response, replacing the generated one. */
  answer?: AnswerOverride;
  /** A scripted AI approver decision. */
  decision?: ApproverOverride;
}

/** What the offline Action reports back. */
export type OfflineResult =
  | { step: 'prompt'; text: string; sha256: string; pointer: Pointer }
  | {
      step: 'response';
      text: string;
      /** sha256 of the text, or the head commit of a pull request for code. */
      sha256: string;
      pointer: Pointer;
      usage: Usage;
      verdict?: Verdict;
      choice?: string;
      scripted: boolean;
    }
  | { step: 'approver'; decision: 'approved' | 'rejected'; feedback: string; usage: Usage; scripted: boolean }
  | { step: 'failed'; error: string; scripted: boolean }
  /** Nothing arrives (a scripted `silent` answer): the dispatch times out. */
  | { step: 'silent' };

/**
 * The offline stand-in for the Action and its models: pure and deterministic. It renders the stage's real
 * instructions with the real template engine, answers with a short text naming the stage and attempt (ending in
 * `Verdict: FAIL` on a verdict stage's first attempt and `PASS` afterwards), picks the first `when_ai`
 * transition, and approves as an AI approver; a script can override each of these.
 */
export function offlineAnswer(request: OfflineRequest): OfflineResult {
  const { run, answer } = request;
  const stage = stageById(run.workflow, request.stage);
  if (stage === undefined) return { step: 'failed', error: `no stage "${request.stage}"`, scripted: false };
  if (request.step === 'approver') return approverDecision(request, stage);
  if (request.step === 'response' && answer?.silent === true) return { step: 'silent' };
  if (request.step === 'response' && answer?.fail !== undefined) {
    return { step: 'failed', error: answer.fail, scripted: true };
  }
  const prompt = renderPrompt(run, stage);
  if ('error' in prompt) return { step: 'failed', error: prompt.error, scripted: false };
  if (request.step === 'prompt') {
    return {
      step: 'prompt',
      text: prompt.text,
      sha256: sha256(prompt.text),
      pointer: commentPointer(run, stage, 1),
    };
  }
  return response(run, stage, prompt.text, answer);
}

/** The stage's `instructions` rendered over the simulated run's context, or why they cannot be. */
export function renderPrompt(run: SimulatedRun, stage: Stage): { text: string } | { error: string } {
  try {
    return { text: liquid.parseAndRenderSync(stage.instructions ?? '', promptContext(run, stage)) };
  } catch (error) {
    return {
      error: `the instructions of "${stage.id}" could not be rendered: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The same hash the app computes for output comments. */
export const sha256 = sha256Hex;

/** A deterministic stand-in for a git commit sha. */
export function commitSha(seed: string): string {
  return sha256(`commit\0${seed}`).slice(0, 40);
}

/** Tokens as a model would count them, roughly: one per four characters. */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

function response(
  run: SimulatedRun,
  stage: Stage,
  prompt: string,
  answer: AnswerOverride | undefined,
): OfflineResult {
  const record = run.state.stages[stage.id];
  const attempt = record?.attempt ?? 1;
  const aiChoices = (stage.transitions ?? []).filter((t) => t.when_ai !== undefined);
  const choice = aiChoices.length === 0 ? undefined : (answer?.choice ?? aiChoices[0]?.to);
  const scriptedVerdict =
    answer?.verdict ?? (answer?.text === undefined ? undefined : parseVerdict(answer.text));
  const verdict: Verdict | undefined = !stage.verdict
    ? undefined
    : (scriptedVerdict ?? (attempt <= 1 ? 'fail' : 'pass'));
  const pullRequest = stage.output === 'pull_request';
  const head = pullRequest ? commitSha(`${run.state.id}:${stage.id}:${attempt}`) : undefined;
  let text = answer?.text ?? generatedText(run, stage, attempt, prompt, head);
  if (answer?.text === undefined && choice !== undefined) {
    const why = aiChoices.find((t) => t.to === choice)?.when_ai ?? '';
    text += `\n\nWay forward: **${choice}**. ${why}`;
  }
  if (verdict !== undefined && parseVerdict(text) !== verdict) {
    text =
      answer?.text === undefined
        ? `${text}\n\nVerdict: ${verdict.toUpperCase()}`
        : rewriteVerdict(text, verdict);
  }
  const provider = stage.provider === undefined ? undefined : run.workflow.providers[stage.provider];
  const tokensIn = tokensOf(prompt);
  const tokensOut = tokensOf(text);
  return {
    step: 'response',
    text,
    sha256: head ?? sha256(text),
    pointer: pullRequest ? { pull_number: pullNumber(run) } : outputPointer(run, stage),
    usage: {
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cost_usd: costOf(priceOf(provider), tokensIn, tokensOut),
    },
    ...(verdict === undefined ? {} : { verdict }),
    ...(choice === undefined ? {} : { choice }),
    scripted: answer !== undefined,
  };
}

function generatedText(
  run: SimulatedRun,
  stage: Stage,
  attempt: number,
  prompt: string,
  head?: string,
): string {
  const provider = stage.provider === undefined ? undefined : run.workflow.providers[stage.provider];
  const who =
    provider === undefined
      ? 'the model'
      : provider.use === 'command'
        ? `the agent \`${provider.run}\``
        : `${provider.use}/${provider.model}`;
  const lines = [`**${stage.name}**, attempt ${attempt}: a simulated answer by ${who}.`, ''];
  if (head !== undefined) {
    const { files, additions, deletions } = run.subject.pr;
    const opened = run.workflow.stages.some(
      (s) => s.output === 'pull_request' && run.texts[s.id] !== undefined,
    );
    const did = opened ? 'Pushed to' : 'Opened';
    lines.push(
      `${did} pull request #${pullNumber(run)}: ${files.length} files changed (+${additions} -${deletions}), head ${head.slice(0, 7)}.`,
    );
  } else {
    lines.push(
      `It answers the ${prompt.length}-character prompt (sha256 ${sha256(prompt).slice(0, 8)}) offline; a real run calls the model here.`,
    );
  }
  const feedback = run.state.stages[stage.id]?.feedback;
  if (feedback !== undefined && feedback !== '')
    lines.push('', `This attempt addresses the feedback: ${feedback}`);
  return lines.join('\n');
}

function approverDecision(request: OfflineRequest, stage: Stage): OfflineResult {
  const { run, decision } = request;
  const of = request.of ?? 'response';
  const gate = of === 'prompt' ? stage.prompt_gate : stage.gate;
  const name = gate.approver.startsWith('ai:') ? gate.approver.slice(3) : '';
  const judged = (of === 'prompt' ? run.prompts[stage.id] : run.texts[stage.id]) ?? '';
  const approved = (decision?.decision ?? 'approved') === 'approved';
  const feedback = decision?.feedback ?? (approved ? 'It does what the instructions ask.' : '');
  const reply = `${approved ? 'APPROVED' : 'REJECTED'}\n${feedback}`;
  const tokensIn = tokensOf(judged) + 100;
  const tokensOut = tokensOf(reply);
  return {
    step: 'approver',
    decision: approved ? 'approved' : 'rejected',
    feedback,
    usage: {
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cost_usd: costOf(priceOf(run.workflow.providers[name]), tokensIn, tokensOut),
    },
    scripted: decision !== undefined,
  };
}

/** The pull request a run's code goes to: the subject itself, or the one the run opens next to its issue. */
function pullNumber(run: SimulatedRun): number {
  return run.subject.kind === 'pull_request' ? run.subject.number : run.subject.number + 1;
}

function outputPointer(run: SimulatedRun, stage: Stage): Pointer {
  if (stage.output.startsWith('file:')) return { path: stage.output.slice('file:'.length) };
  return commentPointer(run, stage, 2);
}

/** Deterministic comment ids, distinct per stage, attempt and step (1: the prompt, 2: the response). */
function commentPointer(run: SimulatedRun, stage: Stage, step: 1 | 2): Pointer {
  const attempt = run.state.stages[stage.id]?.attempt ?? 1;
  return { comment_id: 1_000_000 + stage.index * 10_000 + attempt * 10 + step };
}
