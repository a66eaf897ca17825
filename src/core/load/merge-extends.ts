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
  return merged;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
