import { conditionProblem } from '../expression.ts';
import { error, type LintFinding, type LintRule, warning } from './finding.ts';

/**
 * Transitions read well: one fallback at the end, valid conditions, no `next` beside them; a stage whose every
 * transition has a condition is warned about, since the run waits there (or fails) when none holds.
 */
export const transitionRules: LintRule = ({ parsed, workflow }) => {
  const findings: LintFinding[] = [];
  parsed.stages.forEach((stage, i) => {
    const resolved = workflow.stages[i];
    if (stage.transitions === undefined) return;
    if (stage.next !== undefined) {
      findings.push(
        error(
          'next-and-transitions',
          ['stages', i, 'next'],
          `stage "${stage.id}" has both next and transitions; keep one`,
        ),
      );
    }
    const fallback = noFallback(stage.id, stage.transitions, stage.next);
    if (fallback !== undefined)
      findings.push(warning('transition-without-fallback', ['stages', i, 'transitions'], fallback));
    const last = stage.transitions.length - 1;
    stage.transitions.forEach((t, j) => {
      const at = ['stages', i, 'transitions', j];
      if (t.when !== undefined && t.when_ai !== undefined) {
        findings.push(
          error(
            'when-and-when-ai',
            at,
            'a transition has either when (a condition) or when_ai (words for the model), not both',
          ),
        );
      }
      if (t.when === undefined && t.when_ai === undefined && j < last) {
        findings.push(
          error(
            'fallback-not-last',
            at,
            `this transition has no condition, so the ${last - j === 1 ? 'one' : `${last - j}`} after it can never be taken; move it last`,
          ),
        );
      }
      if (t.when !== undefined) {
        const problem = conditionProblem(t.when);
        if (problem !== undefined) {
          const finding = error(
            'invalid-condition',
            [...at, 'when'],
            `invalid condition: ${problem.message}`,
          );
          if (problem.offset !== undefined) finding.inValue = { offset: problem.offset, otherwise: '' };
          findings.push(finding);
        } else if (verdictTypo(t.when) !== undefined) {
          findings.push(
            warning(
              'verdict-value',
              [...at, 'when'],
              `verdict is "pass", "fail" or "" (lower case), so comparing it with "${verdictTypo(t.when)}" is never true`,
            ),
          );
        } else if (/\bverdict\b/.test(t.when) && !stage.verdict) {
          findings.push(
            warning(
              'verdict-without-verdict',
              [...at, 'when'],
              `the condition reads verdict, but stage "${stage.id}" does not set verdict: true, so verdict is always ""`,
            ),
          );
        }
      }
      if (
        t.when_ai !== undefined &&
        resolved !== undefined &&
        resolved.mode !== 'ai' &&
        resolved.mode !== 'command'
      ) {
        findings.push(
          error(
            'when-ai-needs-model',
            [...at, 'when_ai'],
            `when_ai is decided by the stage's model, but stage "${stage.id}" is ${resolved.mode}`,
          ),
        );
      }
    });
  });
  return findings;
};

/** A value that `verdict` is compared with but can never hold, such as "PASS". */
function verdictTypo(condition: string): string | undefined {
  for (const match of condition.matchAll(
    /\bverdict\s*[!=]=\s*(["'])(.*?)\1|(["'])(.*?)\3\s*[!=]=\s*verdict\b/g,
  )) {
    const value = match[2] ?? match[4] ?? '';
    if (!['pass', 'fail', ''].includes(value)) return value;
  }
  return undefined;
}

/**
 * Why a stage whose transitions all have a condition (`when` or `when_ai`), with no fallback and no `next`, may
 * stop there: the run waits until a `when` holds, or fails when only the model's choice could decide. Undefined
 * when the stage has a way out that always applies.
 */
function noFallback(
  id: string,
  transitions: readonly { when?: string | undefined; when_ai?: string | undefined }[],
  next: string | undefined,
): string | undefined {
  if (next !== undefined || transitions.length === 0) return undefined;
  if (transitions.some((t) => t.when === undefined && t.when_ai === undefined)) return undefined;
  const stops = transitions.some((t) => t.when !== undefined)
    ? 'when none of its conditions holds, the run waits in the stage until one does (a label added, say) or someone moves it with /flowgate goto'
    : 'when the model chooses none of them, the run fails';
  return `every transition of stage "${id}" has a condition and none is a fallback: ${stops}; add a last transition without a condition (e.g. "- escalate") unless that is what you want`;
}
