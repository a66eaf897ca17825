import type { Models } from '../action/model-types.ts';
import { sha256Hex } from '../core/action-output.ts';
import { costOf, priceOf } from '../core/prices.ts';
import type { StepOf } from '../core/simulate/script.ts';
import { parseVerdict, rewriteVerdict } from '../core/verdict.ts';
import { stageById, type Workflow } from '../core/workflow.ts';
import { estimateTokens } from '../providers/estimate-tokens.ts';
import { redactSecrets } from '../providers/redact-secrets.ts';
import type { ModelRequest, ModelUsage } from '../providers/types.ts';

export type AnswerOverride = StepOf<'answer'>['answer'];
export type ApproverOverride = StepOf<'approver'>['approver'];

/** What a script says the next answers of a stage are, taken in order; the offline model's own answer otherwise. */
export interface Overrides {
  answers: AnswerOverride[];
  decisions: ApproverOverride[];
}

/**
 * The models of `flowgate simulate`: the Action's own step code calls them as it calls the real providers, and
 * they answer offline and deterministically. A response names its stage and attempt; a `verdict: true` stage says
 * FAIL on its first attempt and PASS after; a stage with `when_ai` transitions chooses the first; an AI approver
 * approves. A script's `answer` and `approver` steps replace the next answer of their stage (`fail` makes the call
 * fail as a provider error would; `ask_human` asks people instead, where the gate offers it). Usage is counted at about four characters a token, priced from the price table.
 */
export function offlineModels(workflow: Workflow | (() => Workflow), overrides: Overrides): Models {
  return {
    callModel: async (request) => {
      const purpose = request.purpose;
      // The workflow the run follows now (a script may commit a new version of the file).
      const current = typeof workflow === 'function' ? workflow() : workflow;
      const stage = purpose === undefined ? undefined : stageById(current, purpose.stage);
      if (stage === undefined) throw new Error('the offline model was asked without a stage');
      const answer = take(overrides.answers, stage.id);
      if (answer?.fail !== undefined) throw new Error(answer.fail);
      const attempt = purpose?.attempt ?? 1;
      const choices = (stage.transitions ?? []).filter((t) => t.when_ai !== undefined);
      const choice = choices.length === 0 ? undefined : (answer?.choice ?? choices[0]?.to);
      let text = answer?.text ?? generated(request, stage.name, attempt);
      const scripted =
        answer?.verdict ?? (answer?.text === undefined ? undefined : parseVerdict(answer.text));
      const verdict = stage.verdict ? (scripted ?? (attempt <= 1 ? 'fail' : 'pass')) : undefined;
      if (verdict !== undefined && parseVerdict(text) !== verdict) {
        text =
          answer?.text === undefined
            ? `${text}\n\nVerdict: ${verdict.toUpperCase()}`
            : rewriteVerdict(text, verdict);
      }
      if (choice !== undefined && answer?.ask_human === undefined) text += `\n\nNext stage: ${choice}`;
      if (answer?.ask_human !== undefined) text += `\n\nAsk a human: ${answer.ask_human}`;
      return { text, usage: usageOf(request, text), model: `${request.provider.model} (offline)` };
    },
    askApprover: async (request, options) => {
      const stage = request.purpose?.stage ?? '';
      const decision = take(overrides.decisions, stage);
      if (decision?.decision === 'ask_human') {
        const question = decision.question || decision.feedback || 'Should this go on?';
        const usage = usageOf(request, question);
        if (options?.askHuman === true) return { decision: 'ask_human', feedback: '', question, usage };
        return {
          decision: 'rejected',
          feedback: 'The script has the AI approver ask a person, and its gate sets no ask_human.',
          usage,
          malformed: 'the gate sets no ask_human',
        };
      }
      const approved = (decision?.decision ?? 'approved') === 'approved';
      const feedback =
        decision?.feedback || (approved ? 'It does what the instructions ask.' : 'Not good enough.');
      const reply = `${approved ? 'APPROVED' : 'REJECTED'}\n${feedback}`;
      return { decision: approved ? 'approved' : 'rejected', feedback, usage: usageOf(request, reply) };
    },
    estimateTokens,
    redactSecrets,
  };
}

function generated(request: ModelRequest, stageName: string, attempt: number): string {
  const { provider, prompt } = request;
  return [
    `**${stageName}**, attempt ${attempt}: a simulated answer by ${provider.use}/${provider.model}.`,
    '',
    `It answers the ${prompt.length}-character prompt (sha256 ${sha256Hex(prompt).slice(0, 8)}) offline; a real run calls the model here.`,
  ].join('\n');
}

function usageOf(request: ModelRequest, text: string): ModelUsage {
  const tokensIn = Math.ceil(request.prompt.length / 4);
  const tokensOut = Math.ceil(text.length / 4);
  return {
    tokens_in: tokensIn,
    tokens_out: tokensOut,
    cost_usd: costOf(priceOf(request.provider), tokensIn, tokensOut),
  };
}

/** Removes and returns the first override waiting for `stage`. */
function take<T extends { stage: string }>(list: T[], stage: string): T | undefined {
  const i = list.findIndex((o) => o.stage === stage);
  return i === -1 ? undefined : list.splice(i, 1)[0];
}
