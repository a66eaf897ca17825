import type { Effect } from '../engine/effects.ts';
import type { SystemAction } from '../schema/system-action.ts';

/** One effect as the transcript shows it: a short label and the rest of the line. */
export interface EffectView {
  label: string;
  text: string;
}

/**
 * The effects of one step in words. `status.update` and reactions are left out (every change has them), and labels
 * and the check run are shown only when they differ from what `shown` last recorded, which this updates.
 */
export function describeEffects(
  effects: readonly Effect[],
  shown: { labels: Set<string>; check?: string },
): EffectView[] {
  const views: EffectView[] = [];
  for (const effect of effects) {
    switch (effect.type) {
      case 'status.update':
      case 'react':
        break;
      case 'reply':
        views.push({ label: 'reply', text: effect.text });
        break;
      case 'dispatch':
        views.push({
          label: 'dispatch',
          text: `${effect.stage}, attempt ${effect.attempt}: ${effect.step} (nonce ${effect.nonce})`,
        });
        break;
      case 'notify':
        views.push({ label: 'notify', text: `${audience(effect)}${effect.text}` });
        break;
      case 'labels.set': {
        const added = effect.add.filter((l) => !shown.labels.has(l));
        const removed = effect.remove.filter((l) => shown.labels.has(l));
        for (const l of added) shown.labels.add(l);
        for (const l of removed) shown.labels.delete(l);
        const text = [...added.map((l) => `+${l}`), ...removed.map((l) => `-${l}`)].join(', ');
        if (text !== '') views.push({ label: 'labels', text });
        break;
      }
      case 'check.update': {
        const text =
          effect.conclusion === undefined ? effect.status : `${effect.status} (${effect.conclusion})`;
        if (text !== shown.check) views.push({ label: 'check', text });
        shown.check = text;
        break;
      }
      case 'system.action':
        views.push({ label: 'system', text: `${effect.stage}: ${describeAction(effect.action)}` });
        break;
      case 'timer.schedule': {
        // The deadline of a dispatch reads best on the dispatch's own line.
        const last = views.at(-1);
        if (last?.label === 'dispatch') last.text += `, deadline ${effect.at.slice(11, 16)}`;
        else views.push({ label: 'timer', text: `wake up at ${effect.at}` });
        break;
      }
      case 'output.rewrite_verdict':
        views.push({
          label: 'rewrite',
          text: `the verdict in the output of ${effect.stage} now reads ${effect.verdict.toUpperCase()}`,
        });
        break;
      case 'subject.archive':
        views.push({
          label: 'archive',
          text: `close${effect.lock ? ' and lock' : ''} the subject after ${effect.after_days} days`,
        });
        break;
    }
  }
  return views;
}

function audience(effect: Extract<Effect, { type: 'notify' }>): string {
  const who = [
    ...effect.users.map((u) => `@${u}`),
    ...effect.teams.map((t) => `@${t}`),
    ...(effect.codeowners ? ['CODEOWNERS'] : []),
  ];
  return who.length === 0 ? '' : `${who.join(', ')}: `;
}

/** `add_labels: needs-human`, `comment: "Review failed three times."`. */
export function describeAction(action: SystemAction): string {
  return Object.entries(action)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${describeValue(value)}`)
    .join('; ');
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(oneLine(value));
  if (Array.isArray(value)) return value.map(String).join(', ');
  return JSON.stringify(value);
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
