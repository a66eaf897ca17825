import type { z } from 'zod';
import type { Path } from '../diagnostic.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Every object schema the value at `path` may be checked against. */
function schemasAt(schema: z.ZodType, path: Path): z.ZodType[] {
  let current = expand(schema);
  for (const part of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      const def = defOf(s);
      if (def.type === 'object' && typeof part === 'string' && def.shape?.[part]) next.push(def.shape[part]);
      else if (def.type === 'array' && typeof part === 'number' && def.element) next.push(def.element);
      else if (def.type === 'record' && def.valueType) next.push(def.valueType);
    }
    current = next.flatMap(expand);
  }
  return current;
}

/** Unwraps optional, default, pipes and unions down to the schemas that see the value. */
function expand(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return def.innerType ? expand(def.innerType) : [];
    case 'pipe':
      return def.in ? expand(def.in) : [];
    case 'union':
      return (def.options ?? []).flatMap(expand);
    default:
      return [schema];
  }
}

/** The field names an object at `path` may have, for "did you mean" hints. */
export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = defOf(s);
    if (def.type === 'object') for (const key of Object.keys(def.shape ?? {})) keys.add(key);
  }
  return [...keys];
}
