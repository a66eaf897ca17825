// What one command costs the app on GitHub: REST calls by method and route, and writes, per command kind, next
// to the budget each kind has (docs/app.md, "Rate limits"). Driven through Probot with real webhook payloads,
// on the GitHub stand-in. `npm run bench`; numbers against targets, no pass/fail.
import { AppHarness, type Payload, readExample } from '../test/support/app-harness.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const PEOPLE = { alice: 'read', bob: 'maintain', carol: 'write' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

interface Cost {
  calls: string[];
}
const costs = new Map<string, Cost[]>();
const TARGETS: Record<
  string,
  { calls: number; writes: number; statusWrites?: number; floor?: { writes: number; why: string } }
> = {
  // Three writes are what the move itself needs on GitHub: 👀 (the answer a person sees first), the status comment
  // (the run's signed state: the Action and every later event read it there) with the label changes in the same
  // GraphQL request, and the workflow_dispatch that runs the next stage. Nothing else is written. A GraphQL request
  // counts as a call here, as it does against GitHub's limits.
  '/approve (moves the stage)': { calls: 5, writes: 3 },
  '/retry <feedback>': { calls: 5, writes: 99 },
  '/reject <reason>': { calls: 5, writes: 99 },
  '/status': { calls: 99, writes: 99, statusWrites: 0 },
  '/approve (refused)': { calls: 99, writes: 99, statusWrites: 0 },
  '/frobnicate (unknown)': { calls: 99, writes: 99, statusWrites: 0 },
};

/** Content-creating, as GitHub counts: not a GET or HEAD, and not a GraphQL query (a mutation is marked so). */
const isWrite = (line: string) =>
  !line.startsWith('GET') && !line.startsWith('HEAD') && line !== 'POST /graphql';

async function measure(h: AppHarness, kind: string, work: () => Promise<unknown>) {
  const before = h.github.log.length;
  await work();
  // A 304 (a conditional read that found nothing changed) is not counted by GitHub: listed apart.
  const calls = h.github.log.slice(before).filter((l) => !l.includes('/access_tokens'));
  const list = costs.get(kind) ?? [];
  list.push({ calls });
  costs.set(kind, list);
}

const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:feature' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};

// One app for every round, each round on its own issue: what a command costs once the app has warmed up (its
// caches of labels, workflow files and comments filled), as on a server that has been running for a while.
const h = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, PEOPLE);
for (let round = 0; round < ROUNDS; round++) {
  const n = 10 + round;
  h.newIssue(n, 'alice');
  await h.deliver('issues', 'labeled', n, byBob);
  await h.answerLastDispatch(n);
  if (round === 0) continue;
  await measure(h, '/status', () => h.comment(n, 'carol', '/status'));
  await measure(h, '/approve (refused)', () => h.comment(n, 'alice', '/approve'));
  await measure(h, '/frobnicate (unknown)', () => h.comment(n, 'bob', '/frobnicate now'));
  await measure(h, '/retry <feedback>', () => h.comment(n, 'bob', '/retry Cover the settings page too.'));
  await h.answerLastDispatch(n);
  await measure(h, '/reject <reason>', () => h.comment(n, 'bob', '/reject Not this way.'));
  await h.comment(n, 'bob', '/retry');
  await h.answerLastDispatch(n);
  await measure(h, '/approve (moves the stage)', () => h.comment(n, 'bob', '/approve'));
}

const route = (line: string) =>
  line.replace('/repos/acme/widgets', '').replace(/\/\d+/g, '/:n').replace(/\?.*$/, '');
console.log(
  `\ncommands: REST calls per command on the stand-in (${ROUNDS - 1} rounds after a first that warms the app up; p50 of each count)`,
);
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
for (const [kind, list] of costs) {
  const counted = (c: Cost) => c.calls.filter((l) => !l.endsWith(' 304'));
  const calls = p50(list.map((c) => counted(c).length));
  const free = p50(list.map((c) => c.calls.length - counted(c).length));
  const writes = p50(list.map((c) => c.calls.filter(isWrite).length));
  const statusWrites = p50(
    list.map(
      (c) =>
        c.calls.filter(
          (l) => (l.startsWith('PATCH') && l.includes('/issues/comments/')) || l === 'POST /graphql mutation',
        ).length,
    ),
  );
  const t = TARGETS[kind];
  const target =
    t === undefined
      ? ''
      : [
          t.calls < 99
            ? `calls ${calls} (target <= ${t.calls}${calls <= t.calls ? ', met' : ', NOT met'})`
            : '',
          t.writes < 99
            ? `writes ${writes} (target <= ${t.writes}${writes <= t.writes ? ', met' : ', NOT met'}${
                t.floor !== undefined && writes > t.writes
                  ? `; floor ${t.floor.writes}${writes <= t.floor.writes ? ', reached' : ', NOT reached'}: ${t.floor.why}`
                  : ''
              })`
            : '',
          t.statusWrites !== undefined
            ? `comment edits ${statusWrites} (target ${t.statusWrites}${statusWrites <= t.statusWrites ? ', met' : ', NOT met'})`
            : '',
        ]
          .filter((x) => x !== '')
          .join('; ');
  const conditional = free > 0 ? ` (+${free} answered 304, not counted)` : '';
  console.log(`${kind.padEnd(28)} ${calls} calls${conditional}, ${writes} writes  ${target}`);
  const last = list.at(-1)?.calls ?? [];
  for (const line of last) {
    const shown = route(line);
    const counted = shown.endsWith(' 304') ? 'free' : isWrite(line) ? 'write' : 'read';
    console.log(`    ${counted.padEnd(5)}  ${shown.padEnd(62)} ${why(shown)}`);
  }
}

/** Why each request of a command is made: the floor, route by route. */
function why(shown: string): string {
  const reasons: [RegExp, string][] = [
    [/^GET \/issues\/:n\/comments/, 'the comments since the last delivery: the command itself'],
    [/^GET \/contents\//, 'did a workflow file change? (conditional: 304 while not)'],
    [/^POST \/issues\/comments\/:n\/reactions/, '👀: received (the first answer a person sees)'],
    [
      /^GET \/collaborators\//,
      "the commenter's permission, asked every time (conditional: 304 while unchanged)",
    ],
    [
      /^GET \/issues\/comments\/:n/,
      'did anyone write the state since? (conditional re-read before the edit)',
    ],
    [/^PATCH \/issues\/comments\/:n/, "the status comment: the run's signed state, read by the Action"],
    [
      /^POST \/graphql mutation/,
      "the status comment (the run's signed state) and the label moves, in one request",
    ],
    [/^POST \/graphql$/, 'who last edited a comment whose version this process did not write'],
    [
      /^GET \/issues\/:n\/labels/,
      'the labels now, before they are replaced (conditional: 304 while unchanged)',
    ],
    [
      /^PUT \/issues\/:n\/labels/,
      'the labels in one request: the new stage on, the old stage and the gate off',
    ],
    [/^DELETE \/issues\/:n\/labels\//, 'the one label to take off (the gate no longer waits)'],
    [/^POST \/issues\/:n\/labels/, 'the labels to put on'],
    [/^POST \/labels/, "the label's creation, once per repository"],
    [/^POST \/actions\/workflows\//, 'workflow_dispatch: runs the stage step in Actions'],
    [/^POST \/issues\/:n\/comments/, 'the reply'],
  ];
  return reasons.find(([pattern]) => pattern.test(shown))?.[1] ?? '';
}
