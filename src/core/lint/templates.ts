import type { Path } from '../diagnostic.ts';
import { checkTemplate } from '../template.ts';
import type { LintFinding, LintRule } from './finding.ts';

/** Instructions, ask_human guidance, comments and dispatch inputs are valid templates over the documented context. */
export const templatesParse: LintRule = ({ parsed }) => {
  const findings: LintFinding[] = [];
  const check = (path: Path, source: string) => {
    for (const problem of checkTemplate(source)) {
      const { message, severity, offset, line, col } = problem;
      const where = line === undefined ? '' : ` (template line ${line}, column ${col})`;
      // Where the place inside the template can be shown in the file, the caret says it better than words.
      const finding: LintFinding = {
        rule: 'template',
        path,
        message: offset === undefined ? message + where : message,
        severity,
      };
      if (offset !== undefined) finding.inValue = { offset, otherwise: where };
      findings.push(finding);
    }
  };
  parsed.stages.forEach((stage, i) => {
    if (stage.instructions !== undefined) check(['stages', i, 'instructions'], stage.instructions);
    for (const key of ['gate', 'prompt_gate'] as const) {
      const askHuman = stage[key]?.ask_human;
      if (askHuman !== undefined) check(['stages', i, key, 'ask_human'], askHuman);
    }
    stage.run?.forEach((action, j) => {
      if (action.comment !== undefined) check(['stages', i, 'run', j, 'comment'], action.comment);
      for (const [name, value] of Object.entries(action.dispatch?.inputs ?? {})) {
        check(['stages', i, 'run', j, 'dispatch', 'inputs', name], value);
      }
    });
  });
  return findings;
};
