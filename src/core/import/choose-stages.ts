import type { Diagnostic } from '../diagnostic.ts';
import { locate } from '../load/locate.ts';
import { type SourceFile, sourceLine } from '../load/source-file.ts';
import { didYouMean } from '../suggest.ts';
import type { Stage, Workflow } from '../workflow.ts';

/** The source stages to import, in file order: all of them, or those `wanted` names. */
export function chooseStages(
  file: SourceFile,
  workflow: Workflow,
  wanted: readonly string[] | undefined,
): { stages: Stage[] } | { diagnostics: Diagnostic[] } {
  if (wanted === undefined) return { stages: workflow.stages };
  const ids = workflow.stages.map((s) => s.id);
  const unknown = [...new Set(wanted)].filter((id) => !ids.includes(id));
  if (unknown.length === 0) return { stages: workflow.stages.filter((s) => wanted.includes(s.id)) };
  const { line, col } = locate(file, ['stages'], true);
  return {
    diagnostics: unknown.map(
      (id): Diagnostic => ({
        severity: 'error',
        file: file.name,
        line,
        col,
        message: `cannot import "${id}": it is not a stage of this workflow${didYouMean(id, ids)}`,
        path: 'stages',
        rule: 'import',
        sourceLine: sourceLine(file.text, line),
      }),
    ),
  };
}
