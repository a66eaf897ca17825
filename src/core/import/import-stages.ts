import { isDeepStrictEqual } from 'node:util';
import { type Document, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostic.ts';
import { loadWorkflow } from '../load/load-workflow.ts';
import { assembleTarget } from './assemble-target.ts';
import { chooseStages } from './choose-stages.ts';
import { providersOf } from './imported-stage.ts';
import { pinImplicitOrder } from './pin-implicit-order.ts';
import { type ImportedProvider, planProviders } from './plan-providers.ts';
import { type ConflictMode, type ImportedStage, planStageIds } from './plan-stage-ids.ts';
import { spliceTarget } from './splice-target.ts';

export type { ConflictMode, ImportedProvider, ImportedStage };

export interface ImportParams {
  /** The workflow file the stages come from. */
  source: { name: string; text: string };
  /** The workflow file they go into; its text is edited, keeping its comments and layout. */
  target: { name: string; text: string };
  /** A stage id the target already has: `merge` overwrites that stage in place, `copy` imports under `id-1`, ... */
  onConflict: ConflictMode;
  /** The source stages to import (default: all of them). */
  stages?: string[];
}

export type ImportResult =
  | { ok: true; text: string; imported: ImportedStage[]; providers: ImportedProvider[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Brings stages of one workflow file into another (`flowgate import`), with the providers they use. New stages go
 * at the end of the target's `stages`; merged ones take the place of the stage they overwrite. The result is
 * loaded before it is returned: an import that would leave the target invalid returns why instead.
 */
export async function importStages(params: ImportParams): Promise<ImportResult> {
  // 1. Both files load without errors.
  const [source, target] = await Promise.all([
    loadWorkflow(params.source.name, params.source.text),
    loadWorkflow(params.target.name, params.target.text),
  ]);
  const sourceFile = source.files[0];
  if (source.workflow === undefined || target.workflow === undefined || sourceFile === undefined) {
    const broken = [source, target].filter((r) => r.workflow === undefined);
    return { ok: false, diagnostics: broken.flatMap((r) => r.diagnostics) };
  }

  // 2. The stages to import, and the ids and provider names they take in the target.
  const chosen = chooseStages(sourceFile, source.workflow, params.stages);
  if ('diagnostics' in chosen) return { ok: false, diagnostics: chosen.diagnostics };
  const imported = planStageIds({
    imported: chosen.stages.map((s) => s.id),
    existing: target.workflow.stages.map((s) => s.id),
    onConflict: params.onConflict,
  });
  const providers = planProviders({
    used: chosen.stages.flatMap(providersOf),
    source: source.workflow.providers,
    target: target.workflow.providers,
  });

  // 3. The target's Document with them in place; where file order gave a stage its type or next, it is written out.
  const assembled = assembleTarget({
    source: { file: sourceFile, workflow: source.workflow, chosen: chosen.stages },
    target: { text: params.target.text, workflow: target.workflow },
    imported,
    providers,
  });
  pinImplicitOrder(assembled.doc, assembled.stages);

  // 4. The target's own lines with the new ones spliced in; the Document printed where that cannot be trusted.
  const spliced = spliceTarget(assembled.layout, assembled.stages, assembled.providers);
  const text =
    spliced !== undefined && sameContent(spliced, assembled.doc)
      ? spliced
      : assembled.doc.toString({ lineWidth: 0 });

  // 5. The result must load.
  const result = await loadWorkflow(params.target.name, text);
  if (result.workflow === undefined) return { ok: false, diagnostics: result.diagnostics };
  return { ok: true, text, imported, providers };
}

/** Whether the spliced text holds exactly what the edited Document holds. */
function sameContent(text: string, doc: Document): boolean {
  const reread = parseDocument(text, { uniqueKeys: true });
  const same = isDeepStrictEqual(reread.toJS({ maxAliasCount: 100 }), doc.toJS({ maxAliasCount: 100 }));
  return reread.errors.length === 0 && same;
}
