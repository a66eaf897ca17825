import { workflowToMermaid, workflowToMermaidMarkdown } from '../../core/graph.ts';
import { didYouMean } from '../../core/suggest.ts';
import { type CliIo, UsageError } from '../io.ts';
import { loadOne } from './load-one.ts';

/** Prints a workflow as a Mermaid flowchart (fenced for Markdown with --markdown). */
export async function graphCommand(
  file: string,
  options: { markdown: boolean; current?: string },
  io: CliIo,
) {
  const workflow = await loadOne(file, io);
  if (workflow === undefined) return 1;
  const ids = workflow.stages.map((s) => s.id);
  if (options.current !== undefined && !ids.includes(options.current)) {
    throw new UsageError(
      `--current: "${options.current}" is not a stage of ${file}${didYouMean(options.current, ids)}`,
    );
  }
  const graphOptions = options.current === undefined ? {} : { current: options.current };
  const text = options.markdown
    ? workflowToMermaidMarkdown(workflow, graphOptions)
    : workflowToMermaid(workflow, graphOptions);
  io.stdout(`${text}\n`);
  return 0;
}
