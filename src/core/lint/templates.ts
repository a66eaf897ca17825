import type { Path } from '../diagnostic.ts';
import { checkTemplate } from '../template.ts';
import type { LintFinding, LintRule } from './finding.ts';

/** Instructions and comment texts are valid templates over the documented context. */
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
    if (stage.gate?.ask_human !== undefined) check(['stages', i, 'gate', 'ask_human'], stage.gate.ask_human);
    stage.run?.forEach((action, j) => {
      if (action.comment !== undefined) check(['stages', i, 'run', j, 'comment'], action.comment);
    });
  });
  return findings;
};
