import { type Diagnostic, formatPath, sortDiagnostics } from '../diagnostic.ts';
import type { LintFinding } from '../lint/finding.ts';
import { lintWorkflow } from '../lint/lint-workflow.ts';
import { WorkflowSchema } from '../schema/workflow.ts';
import type { Workflow } from '../workflow.ts';
import type { ActionsSchedule } from './actions-schedules.ts';
import { locate, locateInValue } from './locate.ts';
import { isRecord, type Layer, mergeExtends } from './merge-extends.ts';
import { identityOrigin, type OriginOf } from './origins.ts';
import { contentOf, parseSourceFile, type SourceFile, sourceLine } from './source-file.ts';
import { findingsFromIssues } from './zod-issues.ts';

/** Reads the file an `extends:` names; `from` is the name of the extending file. Throws when it cannot. */
export type ReadSource = (ref: string, from: string) => Promise<{ name: string; text: string }>;

export interface LoadOptions {
  /** How `extends:` is followed; without it, a file that extends another is an error. */
  readSource?: ReadSource;
  /** The repository's Actions schedules: given, each sweep's cron line must be one of them (`sweep-scheduled`). */
  actionsSchedules?: readonly ActionsSchedule[];
}

export interface LoadResult {
  /** Present when the file has no errors (warnings may remain). */
  workflow?: Workflow;
  diagnostics: Diagnostic[];
  /** Every file read: the workflow and the files it extends. */
  files: SourceFile[];
}

const MAX_EXTENDS_DEPTH = 5;

/** Parses, merges, validates and lints one workflow file; every finding carries file:line:col. */
export async function loadWorkflow(
  name: string,
  text: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const files: SourceFile[] = [];
  const layered = await readLayer(name, text, options, [], files);
  if ('diagnostics' in layered) return { diagnostics: sortDiagnostics(layered.diagnostics), files };
  const { value, origin } = layered;

  const parsed = WorkflowSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const findings = findingsFromIssues(WorkflowSchema, parsed.error.issues);
    return {
      diagnostics: sortDiagnostics(
        findings.map((f) => positioned(origin, { ...f, rule: 'schema', severity: 'error' })),
      ),
      files,
    };
  }
  const { workflow, findings } = lintWorkflow(
    parsed.data,
    options.actionsSchedules === undefined ? {} : { actionsSchedules: options.actionsSchedules },
  );
  const diagnostics = sortDiagnostics(findings.map((f) => positioned(origin, f)));
  return diagnostics.some((d) => d.severity === 'error')
    ? { diagnostics, files }
    : { workflow, diagnostics, files };
}

type LayerOrFailure = Layer | { diagnostics: Diagnostic[] };

async function readLayer(
  name: string,
  text: string,
  options: LoadOptions,
  chain: string[],
  files: SourceFile[],
): Promise<LayerOrFailure> {
  const { file, diagnostics } = parseSourceFile(name, text);
  files.push(file);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const content = contentOf(file);
  if ('diagnostic' in content) return { diagnostics: [content.diagnostic] };
  const { value } = content;
  const origin = identityOrigin(file);
  if (!isRecord(value)) {
    const message =
      value === null || value === undefined
        ? 'the file is empty; a workflow needs at least version, name and stages'
        : 'a workflow file must be a mapping of fields (version, name, stages, ...)';
    return { diagnostics: [positioned(origin, { path: [], message, rule: 'schema', severity: 'error' })] };
  }
  if (value.extends === undefined) return { value, origin };
  const ref = value.extends;
  const fail = (message: string, rule = 'extends') => ({
    diagnostics: [positioned(origin, { path: ['extends'], message, rule, severity: 'error' })],
  });
  if (typeof ref !== 'string') return fail('must be text: a relative path or owner/repo/path@ref', 'schema');
  if (options.readSource === undefined) return fail(`cannot follow extends "${ref}" here`);
  if (chain.length >= MAX_EXTENDS_DEPTH)
    return fail(`extends goes more than ${MAX_EXTENDS_DEPTH} files deep`);
  let base: { name: string; text: string };
  try {
    base = await options.readSource(ref, name);
  } catch (error) {
    return fail(`cannot read "${ref}": ${error instanceof Error ? error.message : String(error)}`);
  }
  const seen = [...chain, name];
  if (seen.includes(base.name)) return fail(`extends forms a cycle: ${[...seen, base.name].join(' -> ')}`);
  const baseLayer = await readLayer(base.name, base.text, options, seen, files);
  if ('diagnostics' in baseLayer) return baseLayer;
  return mergeExtends(baseLayer, { value, origin });
}

function positioned(origin: OriginOf, finding: LintFinding): Diagnostic {
  const where = origin(finding.path);
  const { inValue } = finding;
  const inside = inValue === undefined ? undefined : locateInValue(where.file, where.path, inValue.offset);
  const { line, col } = inside ?? locate(where.file, where.path, finding.atKey);
  const message =
    inValue !== undefined && inside === undefined
      ? `${finding.message}${inValue.otherwise}`
      : finding.message;
  return {
    severity: finding.severity,
    file: where.file.name,
    line,
    col,
    message,
    path: formatPath(finding.path),
    rule: finding.rule,
    sourceLine: sourceLine(where.file.text, line),
  };
}
