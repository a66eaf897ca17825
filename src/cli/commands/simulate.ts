import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulationResult } from '../../core/simulate/simulation.ts';
import {
  finalStatusLine,
  formatEnding,
  formatEntry,
  formatTranscript,
} from '../../core/simulate/transcript.ts';
import { interactiveOnGitHub } from '../../simulate/interactive-on-github.ts';
import { issueHtml } from '../../simulate/issue-html.ts';
import { type GitHubSimulationResult, simulateOnGitHub } from '../../simulate/simulate-on-github.ts';
import type { CliIo } from '../io.ts';
import { readScript } from '../read-script.ts';
import { loadOne } from './load-one.ts';

export interface SimulateOptions {
  script?: string;
  quiet: boolean;
  statusComment: boolean;
  /** Where to write the issue as it looks on GitHub at the end, as one HTML page. */
  html?: string;
}

const EXAMPLES = fileURLToPath(new URL('../../../workflows-examples/', import.meta.url));

/**
 * Runs a workflow offline as it runs on GitHub: an in-memory GitHub, the app's reconcile and the Action's step code,
 * with offline models and people (src/simulate), and prints what happened. Exit 0 when the run completes, 1 when
 * it does not (the last line says why) or a file has errors.
 */
export async function simulateCommand(file: string, options: SimulateOptions, io: CliIo): Promise<number> {
  const path = workflowPath(file, io.cwd);
  const workflow = await loadOne(path, io);
  if (workflow === undefined) return 1;
  const text = await readFile(resolve(io.cwd, path), 'utf8');
  const script = options.script === undefined ? undefined : await readScript(options.script, workflow, io);
  if (options.script !== undefined && script === undefined) return 1;
  const interactive =
    script === undefined && io.ask !== undefined && !options.quiet && !options.statusComment;
  const result: GitHubSimulationResult =
    interactive && io.ask !== undefined
      ? await interactiveOnGitHub(
          workflow,
          { path, text },
          {
            ask: io.ask,
            show: (entries) => {
              for (const entry of entries) io.stdout(`${formatEntry(entry).join('\n')}\n`);
            },
            say: (said) => io.stdout(`${said}\n`),
          },
        )
      : await simulateOnGitHub(workflow, {
          file: { path, text },
          ...(script === undefined ? {} : { script }),
        });
  io.stdout(output(result, options, interactive));
  if (options.statusComment && result.outcome.kind !== 'completed') io.stderr(`${finalStatusLine(result)}\n`);
  if (options.html !== undefined) {
    const heading = `flowgate simulate ${file}${options.script === undefined ? '' : ` --script ${options.script}`}: ${finalStatusLine(result)}`;
    await writeFile(resolve(io.cwd, options.html), issueHtml(result.github, result.subject.number, heading));
    if (!options.quiet && !options.statusComment)
      io.stdout(`The issue as GitHub would show it: ${options.html}\n`);
  }
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
