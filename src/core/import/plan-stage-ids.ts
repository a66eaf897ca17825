import { suffixedName } from './suffixed-name.ts';

export type ConflictMode = 'merge' | 'copy';

export interface ImportedStage {
  from: string;
  to: string;
  action: 'added' | 'merged' | 'copied';
}

/**
 * The id each imported stage takes in the target. A clash is merged (same id), or copied under `id-1`, `id-2`, ...:
 * the first that is neither a target id nor the id of another imported stage.
 */
export function planStageIds(params: {
  imported: readonly string[];
  existing: readonly string[];
  onConflict: ConflictMode;
}): ImportedStage[] {
  const { imported, onConflict } = params;
  const existing = new Set(params.existing);
  const taken = new Set([...existing, ...imported.filter((id) => !existing.has(id))]);
  return imported.map((id): ImportedStage => {
    if (!existing.has(id)) return { from: id, to: id, action: 'added' };
    if (onConflict === 'merge') return { from: id, to: id, action: 'merged' };
    let n = 1;
    while (taken.has(suffixedName(id, n))) n++;
    const to = suffixedName(id, n);
    taken.add(to);
    return { from: id, to, action: 'copied' };
  });
}
