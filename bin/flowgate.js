#!/usr/bin/env node
// The `flowgate` command. The published package runs the bundle in dist/cli/ (Node 20 or newer); a clone of the
// repository, where src/ is, runs the TypeScript sources, which needs Node 24 (`npx flowgate` there uses the
// Node 24 that `npm install` brings).
import { existsSync } from 'node:fs';

const clone = existsSync(new URL('../src/cli/run-process.ts', import.meta.url));
if (clone && Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(
    `flowgate needs Node 24 or newer to run from the sources; this is Node ${process.versions.node}.\n` +
      'Inside the project, run it as `npx flowgate ...` or through npm scripts: `npm install` installs Node 24 locally.\n',
  );
  process.exit(2);
}
const { runProcess } = await import(clone ? '../src/cli/run-process.ts' : '../dist/cli/flowgate.mjs');
process.exitCode = await runProcess();
