import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';

/** A scalar of a stage that names a stage (its own id included) or a provider. */
export interface Reference {
  kind: 'stage' | 'provider';
  scalar: Scalar;
  /** The name the scalar holds: a stage id, or a provider name without the `ai:` of an approver. */
  name: string;
  /** `ai:` for approvers, empty otherwise. */
  prefix: '' | 'ai:';
}

/**
 * Every reference written in a stage: id, next, transitions (object or bare), replaces, provider, and the `ai:`
 * approvers of gate and prompt_gate (bare or object).
 */
export function stageReferences(stage: YAMLMap): Reference[] {
  const refs: Reference[] = [];
  const add = (kind: Reference['kind'], node: unknown, prefix: Reference['prefix'] = '') => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.value.startsWith(prefix)) return;
    refs.push({ kind, scalar: node, name: node.value.slice(prefix.length), prefix });
  };
  add('stage', stage.get('id', true));
  add('stage', stage.get('next', true));
  const transitions = stage.get('transitions', true);
  if (isSeq(transitions)) {
    for (const t of transitions.items) add('stage', isMap(t) ? t.get('to', true) : t);
  }
  const replaces = stage.get('replaces', true);
  for (const r of isSeq(replaces) ? replaces.items : [replaces]) add('stage', r);
  add('provider', stage.get('provider', true));
  for (const key of ['gate', 'prompt_gate']) {
    const gate = stage.get(key, true);
    add('provider', isMap(gate) ? gate.get('approver', true) : gate, 'ai:');
  }
  return refs;
}
