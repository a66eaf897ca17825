#!/usr/bin/env node
// The `flowgate` command. Runs the TypeScript sources directly, which needs Node 24 or newer.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `flowgate needs Node 24 or newer; this is Node ${process.versions.node}.\n` +
      'Inside the project, run it as `npx flowgate ...` or through npm scripts: `npm install` installs Node 24 locally.\n',
  );
  process.exit(2);
}
// A reader that stops early (`flowgate schema | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { runCli } = await import('../src/cli/main.ts');
const { processIo } = await import('../src/cli/io.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
