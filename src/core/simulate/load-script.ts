import { type Diagnostic, formatPath, type Path, sortDiagnostics } from '../diagnostic.ts';
import { locate } from '../load/locate.ts';
import { contentOf, parseSourceFile, type SourceFile, sourceLine } from '../load/source-file.ts';
import { findingsFromIssues } from '../load/zod-issues.ts';
import { suggest } from '../suggest.ts';
import { stageById, type Workflow } from '../workflow.ts';
import { type Script, ScriptSchema, type ScriptStep, stepKind } from './script.ts';

export interface LoadedScript {
  script: Script;
  /** The steps, each reduced to its one kind, in order. */
  steps: ScriptStep[];
}

/**
 * Reads a `flowgate simulate --script` file for `workflow`: YAML, the schema, one kind per step, and stage ids
 * that exist where a step names one. Every problem reads `file:line:col: message (path)`.
 */
export function loadScript(
  name: string,
  text: string,
  workflow: Workflow,
): { loaded?: LoadedScript; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parseSourceFile(name, text);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const content = contentOf(file);
  if ('diagnostic' in content) return { diagnostics: [content.diagnostic] };
  const parsed = ScriptSchema.safeParse(content.value ?? {}, { reportInput: true });
  if (!parsed.success) {
    const findings = findingsFromIssues(ScriptSchema, parsed.error.issues);
    return {
      diagnostics: sortDiagnostics(findings.map((f) => diagnostic(file, f.path, f.message, f.atKey))),
    };
  }
  const script = parsed.data;
  const problems: Diagnostic[] = [];
  const steps: ScriptStep[] = [];
  script.steps.forEach((raw, i) => {
    const step = stepKind(raw);
    if ('error' in step) {
      problems.push(diagnostic(file, ['steps', i], step.error));
      return;
    }
    steps.push(step);
    // After a new version of the workflow file, stages are those of a definition the run has not read yet.
    if (steps.some((s) => s.kind === 'workflow')) return;
    for (const problem of stageProblems(workflow, step)) {
      problems.push(diagnostic(file, ['steps', i, step.kind, ...problem.path], problem.message));
    }
  });
  if (problems.length > 0) return { diagnostics: sortDiagnostics(problems) };
  return { loaded: { script, steps }, diagnostics: [] };
}

function stageProblems(workflow: Workflow, step: ScriptStep): { path: Path; message: string }[] {
  if (step.kind !== 'answer' && step.kind !== 'approver' && step.kind !== 'edit') return [];
  const value = step.kind === 'answer' ? step.answer : step.kind === 'approver' ? step.approver : step.edit;
  const stage = stageById(workflow, value.stage);
  if (stage === undefined) {
    const ids = workflow.stages.map((s) => s.id);
    const near = suggest(value.stage, ids);
    const hint = near === undefined ? `it has ${ids.join(', ')}` : `did you mean "${near}"?`;
    return [
      { path: ['stage'], message: `workflow "${workflow.name}" has no stage "${value.stage}" (${hint})` },
    ];
  }
  if (step.kind === 'answer') {
    if (stage.mode !== 'ai' && stage.mode !== 'command') {
      return [
        { path: ['stage'], message: `stage "${stage.id}" is a ${stage.mode} stage; no model answers it` },
      ];
    }
    const choice = step.answer.choice;
    const choices = (stage.transitions ?? []).filter((t) => t.when_ai !== undefined).map((t) => t.to);
    if (choice !== undefined && !choices.includes(choice)) {
      const of =
        choices.length === 0
          ? 'it has no when_ai transitions'
          : `its when_ai transitions go to ${choices.join(', ')}`;
      return [{ path: ['choice'], message: `stage "${stage.id}" cannot choose "${choice}": ${of}` }];
    }
  }
  if (
    step.kind === 'approver' &&
    !stage.gate.approver.startsWith('ai:') &&
    !stage.prompt_gate.approver.startsWith('ai:')
  ) {
    return [
      {
        path: ['stage'],
        message: `stage "${stage.id}" has no AI approver (its gate is ${stage.gate.approver})`,
      },
    ];
  }
  return [];
}

function diagnostic(file: SourceFile, path: Path, message: string, atKey = false): Diagnostic {
  const { line, col } = locate(file, path, atKey);
  return {
    severity: 'error',
    file: file.name,
    line,
    col,
    message,
    path: formatPath(path),
    rule: 'script',
    sourceLine: sourceLine(file.text, line),
  };
}
