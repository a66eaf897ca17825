import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/app/redis-lease.ts';
import { RedisSubjectLock } from '../../src/app/redis-subject-lock.ts';
import type { SubjectLock } from '../../src/app/subject-lock.ts';
import { SubjectQueue } from '../../src/app/subject-queue.ts';
import { AppHarness, type Payload, readExample } from '../support/app-harness.ts';
import type { Request } from '../support/github-stand-in.ts';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.ts';

const FEATURE = readExample('plan-implement-review-revise.yml');
const PEOPLE = { alice: 'read', bob: 'maintain', carol: 'write' };
const byBob = (p: Payload) => {
  p.label = { name: 'flowgate:feature' };
  p.sender.login = 'bob';
  p.sender.type = 'User';
};

describe.skipIf(skipWithoutRedis())('two app replicas behind one load balancer, with REDIS_URL', () => {
  let server: RedisServer;
  const locks: SubjectLock[] = [];
  const lines: string[] = [];

  /** Two instances of the app on one GitHub, each with its own lock (`redis`: its own Redis connection). */
  function replicas(redis: boolean): [AppHarness, AppHarness] {
    const lock = () => {
      const log = {
        info: (m: string) => lines.push(m),
        warn: (m: string) => lines.push(m),
        error: (m: string) => lines.push(m),
      };
      const made = redis ? new RedisSubjectLock(connectRedis(server.url, log), log) : new SubjectQueue();
      locks.push(made);
      return made;
    };
    const a = new AppHarness({ '.github/flowgate/feature.yml': FEATURE }, PEOPLE, { lock: lock() });
    a.newIssue(7, 'alice');
    return [a, a.replica(lock())];
  }

  /** Both replicas at the plan's approval gate. */
  async function atTheGate(redis = true): Promise<[AppHarness, AppHarness]> {
    const [a, b] = replicas(redis);
    await a.deliver('issues', 'labeled', 7, byBob);
    await b.answerLastDispatch(7);
    expect(a.state(7)).toMatchObject({ stage: 'plan', status: 'awaiting_approval' });
    return [a, b];
  }

  const reactionsOn = (h: AppHarness, id: number) =>
    h.github.reactions.filter((r) => r.comment === id).map((r) => r.content);

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    for (const lock of locks.splice(0)) await lock.close();
    lines.length = 0;
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('start one run when the label delivery reaches both replicas at once', async () => {
    const [a, b] = replicas(true);
    await Promise.all([
      a.deliver('issues', 'labeled', 7, byBob, 'label-delivery'),
      b.deliver('issues', 'labeled', 7, byBob, 'label-delivery'),
    ]);
    expect(a.github.botComments(7)).toHaveLength(1);
    expect(a.github.dispatches).toHaveLength(1);
    expect(a.state(7)).toMatchObject({ stage: 'plan', status: 'running' });
    expect(lines).toEqual([]);
  });

  it('apply an /approve once when both replicas reconcile it at the same time: one reaction set, one dispatch', async () => {
    const [a, b] = await atTheGate();
    const dispatches = a.github.dispatches.length;
    const [approval] = await Promise.all([
      a.comment(7, 'bob', '/approve'),
      b.comment(7, 'carol', 'Looks good to me.'),
    ]);
    expect(reactionsOn(a, approval.id)).toEqual(['eyes']);
    expect(a.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    expect(a.github.dispatches.slice(dispatches).map((d) => d.inputs.stage)).toEqual(['implement']);
    expect(a.github.botComments(7).filter((c) => c.body.includes('flowgate:status'))).toHaveLength(1);
    expect(a.replies(7)).toHaveLength(1); // the gate's notice from before; nothing new, nothing twice
  });

  it('lose no command that arrives at one replica while the other is reconciling', async () => {
    const [a, b] = await atTheGate();
    const before = a.github.log.length;
    // While replica A reads the comments for carol's remark, bob approves, and his webhook goes to replica B.
    const handle = a.github.handle.bind(a.github);
    let approved: Promise<{ id: number }> | undefined;
    a.github.handle = (req: Request) => {
      const answer = handle(req);
      if (approved === undefined && req.method === 'GET' && req.path.endsWith('/issues/7/comments')) {
        approved = b.comment(7, 'bob', '/approve');
      }
      return answer;
    };
    await a.comment(7, 'carol', 'Can we also cover the settings page?');
    const approval = await approved;
    expect(approval).toBeDefined();
    expect(reactionsOn(a, approval?.id ?? 0)).toEqual(['eyes']);
    expect(a.state(7)).toMatchObject({ stage: 'implement', status: 'running' });
    expect(a.github.dispatches.at(-1)?.inputs.stage).toBe('implement');
    // B waited for A's lease instead of racing it: it read the subject after A's reconcile had ended. A, which
    // did not write the status comment's latest version itself, asked who last edited it.
    expect(a.github.log.slice(before, before + 3)).toEqual([
      'GET /repos/acme/widgets/issues/7/comments',
      'POST /graphql',
      'GET /repos/acme/widgets/issues/7/comments',
    ]);
    expect(lines).toEqual([]);
  });

  it('without Redis, the same race is handled by both replicas at once (each reacts): what the lock is for', async () => {
    const [a, b] = await atTheGate(false);
    const [approval] = await Promise.all([
      a.comment(7, 'bob', '/approve'),
      b.comment(7, 'carol', 'Looks good to me.'),
    ]);
    // Both replicas handle the command at once: each reacts. Whether both also dispatch depends on whether one's
    // re-read of the status comment comes before or after the other's edit (the rev check catches the latter).
    expect(reactionsOn(a, approval.id).filter((r) => r === 'eyes')).toHaveLength(2);
    const dispatched = a.github.dispatches.filter((d) => d.inputs.stage === 'implement').length;
    expect(dispatched).toBeGreaterThanOrEqual(1);
    expect(dispatched).toBeLessThanOrEqual(2);
  });
});
