// The GitHub stand-in in a process of its own, for benchmarks that measure the app's memory without the stand-in's:
// `node bench/support/stand-in-server.ts <subjects> <workflow file>` prints its address, then serves until killed.
// Issues 1..<subjects> exist; `bob` (maintain) comments with the token `bob-token`.
import { readFileSync } from 'node:fs';
import { GitHubStandIn } from '../../test/support/github-stand-in.ts';
import { serveStandIn } from '../../test/support/serve-stand-in.ts';

const [subjects = '1', file = ''] = process.argv.slice(2);
let tick = Date.now();
const github = new GitHubStandIn('acme', 'widgets', () => {
  tick += 30_000;
  return new Date(tick).toISOString();
});
github.files.set('.github/flowgate/workflow.yml', readFileSync(file, 'utf8'));
github.permissions.set('bob', 'maintain');
github.tokenLogins.set('bob-token', 'bob');
for (let n = 1; n <= Number(subjects); n++)
  github.issues.set(n, { title: `Issue ${n}`, author: 'alice', labels: [], state: 'open', pull: false });
const served = await serveStandIn(github);
console.log(served.url);
