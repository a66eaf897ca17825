import type { ResolvedGate, Stage, Workflow } from './workflow.ts';

export interface GraphOptions {
  /** Highlight this stage (the run's current stage). */
  current?: string;
  /** Stages already done, drawn muted. */
  done?: readonly string[];
}

/**
 * The workflow as a Mermaid flowchart: entry stages as stadiums, work stages as boxes (agents as subroutines,
 * people as parallelograms), terminal stages as double circles; gates and conditions label the edges.
 */
export function workflowToMermaid(workflow: Workflow, options: GraphOptions = {}): string {
  const lines = ['flowchart TD'];
  const node = new Map(workflow.stages.map((s, i) => [s.id, `s${i}`]));
  for (const stage of workflow.stages) lines.push(`  ${node.get(stage.id)}${shape(stage)}`);
  for (const stage of workflow.stages) {
    const from = node.get(stage.id);
    const gate = gateLabel(stage.gate);
    const edges = stage.transitions ?? (stage.next === undefined ? [] : [{ to: stage.next }]);
    for (const t of edges) {
      const to = node.get(t.to);
      if (to === undefined) continue;
      const condition =
        'when' in t && t.when !== undefined
          ? t.when
          : 'when_ai' in t && t.when_ai !== undefined
            ? `AI: ${t.when_ai}`
            : '';
      const label = [gate, condition].filter((part) => part !== '').join(' · ');
      lines.push(label === '' ? `  ${from} --> ${to}` : `  ${from} -- "${escapeLabel(label)}" --> ${to}`);
    }
  }
  lines.push('  classDef entry fill:#dbeafe,stroke:#1d4ed8');
  lines.push('  classDef terminal fill:#dcfce7,stroke:#15803d');
  lines.push('  classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280');
  lines.push('  classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px');
  const byType = (type: Stage['type']) =>
    workflow.stages.filter((s) => s.type === type).map((s) => node.get(s.id));
  for (const type of ['entry', 'terminal'] as const) {
    const ids = byType(type);
    if (ids.length > 0) lines.push(`  class ${ids.join(',')} ${type}`);
  }
  const done = (options.done ?? []).map((id) => node.get(id)).filter((id) => id !== undefined);
  if (done.length > 0) lines.push(`  class ${done.join(',')} done`);
  const current = options.current === undefined ? undefined : node.get(options.current);
  if (current !== undefined) lines.push(`  class ${current} current`);
  return lines.join('\n');
}

/** The same graph inside a fenced block, ready for a Markdown comment. */
export function workflowToMermaidMarkdown(workflow: Workflow, options: GraphOptions = {}): string {
  return `\`\`\`mermaid\n${workflowToMermaid(workflow, options)}\n\`\`\``;
}

function shape(stage: Stage): string {
  const text = `"${escapeLabel(stage.name === stage.id ? stage.id : `${stage.name} (${stage.id})`)}"`;
  if (stage.type === 'entry') return `([${text}])`;
  if (stage.type === 'terminal') return `(((${text})))`;
  if (stage.mode === 'command') return `[[${text}]]`;
  if (stage.mode === 'manual') return `[/${text}/]`;
  if (stage.mode === 'system') return `{{${text}}}`;
  return `[${text}]`;
}

function gateLabel(gate: ResolvedGate): string {
  if (gate.approver === 'skip') return '';
  const count = gate.min_approvals > 1 ? ` x${gate.min_approvals}` : '';
  return `gate: ${gate.approver}${count}`;
}

/** Mermaid labels are quoted; quotes and angle brackets become entity codes so no label can break the graph. */
function escapeLabel(text: string): string {
  return text
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ');
}
