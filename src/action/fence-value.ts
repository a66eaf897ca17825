import { fenceData } from '../core/render/fence-data.ts';

/**
 * A one-line value that people wrote (a title, a label, a branch or file name), fenced as data on lines of its
 * own, wherever a template puts it: `Plan {{ subject.title }}` gives the model `Plan` and then a fenced block
 * labelled `subject.title`, never the title as instructions. Empty stays empty. Pure.
 */
export function fenceValue(label: string, value: string): string {
  const block = fenceData(label, value);
  return block === '' ? '' : `\n${block}\n`;
}
