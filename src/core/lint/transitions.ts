import { conditionProblem } from '../expression.ts';
import { error, type LintFinding, type LintRule, warning } from './finding.ts';

/** Transitions read well: one fallback at the end, valid conditions, no `next` beside them. */
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
