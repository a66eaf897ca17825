import type { Path } from '../diagnostic.ts';
import { type OriginOf, originMap, ruleFrom } from './origins.ts';

export type RawWorkflow = Record<string, unknown>;

export interface Layer {
  value: RawWorkflow;
  origin: OriginOf;
}

/**
 * Lays `child` over `base`. Providers merge by name and stages by id (a stage with a known id has its fields
 * replaced one by one, a new stage is appended); every other top-level field of the child replaces the base's.
 * The base's first and last stages keep the entry and terminal types they had when stages are appended.
 */
export function mergeExtends(base: Layer, child: Layer): Layer {
  const value: RawWorkflow = { ...base.value };
  const rules = [] as Parameters<typeof originMap>[1];
  for (const key of Object.keys(base.value)) rules.push(ruleFrom([key], base.origin, [key]));
  for (const [key, childValue] of Object.entries(child.value)) {
    if (key === 'extends') continue;
    const baseValue = base.value[key];
    if (key === 'providers' && isRecord(baseValue) && isRecord(childValue)) {
      value.providers = { ...baseValue, ...childValue };
      for (const name of Object.keys(childValue))
        rules.push(ruleFrom([key, name], child.origin, [key, name]));
    } else if (key === 'stages' && Array.isArray(baseValue) && Array.isArray(childValue)) {
      value.stages = mergeStages(baseValue, childValue, base.origin, child.origin, rules);
    } else {
      value[key] = childValue;
      rules.push(ruleFrom([key], child.origin, [key]));
    }
  }
  delete value.extends;
  return { value, origin: originMap(child.origin, rules) };
}

function mergeStages(
  base: unknown[],
  child: unknown[],
  baseOrigin: OriginOf,
  childOrigin: OriginOf,
  rules: Parameters<typeof originMap>[1],
): unknown[] {
  const merged = [...base];
  base.forEach((_, i) => {
    rules.push(ruleFrom(['stages', i], baseOrigin, ['stages', i]));
  });
  child.forEach((stage, childIndex) => {
    const id = isRecord(stage) ? stage.id : undefined;
    const at = base.findIndex((b) => isRecord(b) && id !== undefined && b.id === id);
    const childPath: Path = ['stages', childIndex];
    if (at >= 0 && isRecord(stage)) {
      merged[at] = { ...(base[at] as Record<string, unknown>), ...stage };
      for (const key of Object.keys(stage))
        rules.push(ruleFrom(['stages', at, key], childOrigin, [...childPath, key]));
    } else {
      rules.push(ruleFrom(['stages', merged.length], childOrigin, childPath));
      merged.push(stage);
    }
  });
  if (merged.length > base.length) keepInferredTypes(base, merged);
  return merged;
}

/**
 * Appending stages must not change what the base's first and last stages are: the base's end stays its end
 * (rather than turning into a work stage with no way out) and its start stays a start. So the types the base
 * leaves to be inferred from file order are written in, unless the child gave such a stage a type or a way out.
 */
function keepInferredTypes(base: unknown[], merged: unknown[]): void {
  const declared = (type: string) => base.some((s) => isRecord(s) && s.type === type);
  const first = merged[0];
  if (!declared('entry') && isRecord(first) && first.type === undefined)
    merged[0] = { ...first, type: 'entry' };
  const lastIndex = base.length - 1;
  const last = merged[lastIndex];
  const leadsOn = isRecord(last) && (last.next !== undefined || last.transitions !== undefined);
  if (base.length > 1 && !declared('terminal') && isRecord(last) && last.type === undefined && !leadsOn) {
    merged[lastIndex] = { ...last, type: 'terminal' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
