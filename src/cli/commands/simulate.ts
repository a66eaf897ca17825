import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInteractiveSimulation } from '../../core/simulate/run-interactive.ts';
import { runSimulation, type SimulationResult } from '../../core/simulate/run-simulation.ts';
import {
  finalStatusLine,
  formatEnding,
  formatEntry,
  formatTranscript,
} from '../../core/simulate/transcript.ts';
import type { CliIo } from '../io.ts';
import { readScript } from '../read-script.ts';
import { loadOne } from './load-one.ts';

export interface SimulateOptions {
  script?: string;
  quiet: boolean;
  statusComment: boolean;
}

const EXAMPLES = fileURLToPath(new URL('../../../workflows-examples/', import.meta.url));

/**
 * Runs a workflow offline through the real engine and prints what happened. Exit 0 when the run completes, 1 when
 * it does not (the last line says why) or a file has errors.
 */
export async function simulateCommand(file: string, options: SimulateOptions, io: CliIo): Promise<number> {
  const workflow = await loadOne(workflowPath(file, io.cwd), io);
  if (workflow === undefined) return 1;
  const script = options.script === undefined ? undefined : await readScript(options.script, workflow, io);
  if (options.script !== undefined && script === undefined) return 1;
  const interactive =
    script === undefined && io.ask !== undefined && !options.quiet && !options.statusComment;
  const result =
    interactive && io.ask !== undefined
      ? await runInteractiveSimulation(workflow, {
          ask: io.ask,
          show: (entries) => {
            for (const entry of entries) io.stdout(`${formatEntry(entry).join('\n')}\n`);
          },
          say: (text) => io.stdout(`${text}\n`),
        })
      : runSimulation(workflow, script === undefined ? {} : { script });
  io.stdout(output(result, options, interactive));
  if (options.statusComment && result.outcome.kind !== 'completed') io.stderr(`${finalStatusLine(result)}\n`);
  return result.outcome.kind === 'completed' ? 0 : 1;
}

function output(result: SimulationResult, options: SimulateOptions, interactive: boolean): string {
  if (options.statusComment) return `${result.statusComment}\n`;
  if (options.quiet) return `${finalStatusLine(result)}\n`;
  return `${(interactive ? formatEnding(result) : formatTranscript(result)).join('\n')}\n`;
}

/** The file as given, or a bundled example by name: `plan-implement-review-revise`. */
function workflowPath(file: string, cwd: string): string {
  if (existsSync(resolve(cwd, file)) || /[/\\]|\.ya?ml$/.test(file)) return file;
  const example = resolve(EXAMPLES, `${file}.yml`);
  return existsSync(example) ? example : file;
}
