import { isDeepStrictEqual } from 'node:util';
import type { Provider } from '../schema/provider.ts';
import { suffixedName } from './suffixed-name.ts';

export interface ImportedProvider {
  from: string;
  to: string;
  action: 'added' | 'reused' | 'renamed';
}

/**
 * The name each provider the imported stages use takes in the target. A target provider of the same name and the
 * same definition (shorthands expanded) is reused; a different one makes the import `name-1`, `name-2`, ..., or
 * reuse such a name when the target already holds the same definition under it.
 */
export function planProviders(params: {
  used: readonly string[];
  source: Readonly<Record<string, Provider>>;
  target: Readonly<Record<string, Provider>>;
}): ImportedProvider[] {
  const { source, target } = params;
  const used = [...new Set(params.used)];
  const taken = new Set([...Object.keys(target), ...used]);
  const same = (name: string, as: string) => name in target && isDeepStrictEqual(target[name], source[as]);
  return used.map((name): ImportedProvider => {
    if (!(name in target)) return { from: name, to: name, action: 'added' };
    if (same(name, name)) return { from: name, to: name, action: 'reused' };
    for (let n = 1; ; n++) {
      const candidate = suffixedName(name, n);
      if (same(candidate, name)) return { from: name, to: candidate, action: 'reused' };
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return { from: name, to: candidate, action: 'renamed' };
      }
    }
  });
}
