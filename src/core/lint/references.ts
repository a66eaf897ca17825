import type { Path } from '../diagnostic.ts';
import { didYouMean } from '../suggest.ts';
import { error, type LintFinding, type LintRule } from './finding.ts';

/** Every `next`, `to` and `replaces` names a stage; every provider a stage or gate uses is declared. */
export const knownReferences: LintRule = ({ parsed, workflow }) => {
  const ids = parsed.stages.map((s) => s.id);
  const providers = Object.keys(parsed.providers);
  const findings: LintFinding[] = [];
  const stageRef = (path: Path, id: string, what: string) => {
    if (!ids.includes(id)) {
      findings.push(
        error('unknown-stage', path, `${what} "${id}" is not a stage of this workflow${didYouMean(id, ids)}`),
      );
    }
  };
  const providerRef = (path: Path, name: string) => {
    if (providers.includes(name)) return;
    const declared =
      providers.length === 0 ? 'no providers are declared' : `declared: ${providers.join(', ')}`;
    findings.push(
      error(
        'unknown-provider',
        path,
        `provider "${name}" is not declared under providers (${declared})${didYouMean(name, providers)}`,
      ),
    );
  };
  if (parsed.defaults.provider !== undefined) providerRef(['defaults', 'provider'], parsed.defaults.provider);
  const defaultGate = parsed.defaults.gate?.approver;
  if (defaultGate?.startsWith('ai:')) providerRef(['defaults', 'gate'], defaultGate.slice(3));
  parsed.stages.forEach((stage, i) => {
    const at: Path = ['stages', i];
    if (stage.next !== undefined) stageRef([...at, 'next'], stage.next, 'next stage');
    stage.transitions?.forEach((t, j) => {
      stageRef([...at, 'transitions', j, 'to'], t.to, 'transition target');
    });
    if (stage.provider !== undefined) providerRef([...at, 'provider'], stage.provider);
    for (const key of ['gate', 'prompt_gate'] as const) {
      const approver = stage[key]?.approver;
      if (approver?.startsWith('ai:')) providerRef([...at, key], approver.slice(3));
    }
    const mode = workflow.stages[i]?.mode;
    if (
      (mode === 'ai' || mode === 'command') &&
      stage.provider === undefined &&
      parsed.defaults.provider === undefined
    ) {
      findings.push(
        error(
          'missing-provider',
          at,
          `stage "${stage.id}" is an ${mode} stage but names no provider (set provider, or defaults.provider)`,
        ),
      );
    }
  });
  return findings;
};

/** `replaces` names stages that are gone: naming a stage that still exists is a mistake. */
export const replacesRemovedStages: LintRule = ({ parsed }) => {
  const ids = parsed.stages.map((s) => s.id);
  return parsed.stages.flatMap((stage, i) =>
    (stage.replaces ?? []).flatMap((old) =>
      ids.includes(old)
        ? [
            error(
              'replaces-existing-stage',
              ['stages', i, 'replaces'],
              `stage "${stage.id}" replaces "${old}", but "${old}" still exists`,
            ),
          ]
        : [],
    ),
  );
};
