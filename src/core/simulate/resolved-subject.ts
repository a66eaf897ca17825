import type { ScriptSubject } from './script.ts';

/** The script's subject with its defaults settled (kind and labels depend on the workflow). */
export interface ResolvedSubject extends Omit<ScriptSubject, 'kind' | 'labels'> {
  kind: 'issue' | 'pull_request';
  labels: string[];
}
