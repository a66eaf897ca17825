// `npm run check:release` (part of `npm run check`): what docs/releasing.md relies on, checked on every change.
// package.json has what npm needs to publish the CLI, CHANGELOG.md has a section for the version, and every Actions
// workflow teams copy references the Action by the full commit that package.json pins (flowgateAction), never by
// a tag. Prints each problem as `file: problem` and exits 1 when there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { releaseProblems } from './release-problems.ts';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const texts = (dir: string, pattern: RegExp) =>
  Object.fromEntries(
    readdirSync(new URL(dir, root))
      .filter((name) => pattern.test(name))
      .map((name) => [`${dir}${name}`, read(`${dir}${name}`)]),
  );

const problems = releaseProblems({
  packageJson: read('package.json'),
  changelog: existsSync(new URL('CHANGELOG.md', root)) ? read('CHANGELOG.md') : undefined,
  license: existsSync(new URL('LICENSE', root)),
  security: existsSync(new URL('SECURITY.md', root)),
  examples: texts('workflows-examples/.github/workflows/', /\.ya?ml$/),
  docs: { ...texts('', /\.md$/), ...texts('docs/', /\.md$/), ...texts('action/', /\.md$/) },
});
for (const problem of problems) console.log(problem);
console.log(`release checks: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
process.exitCode = problems.length === 0 ? 0 : 1;
