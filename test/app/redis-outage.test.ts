import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import { readExample, subjectPayload } from '../support/app-harness.ts';
import { AppProcess } from '../support/app-process.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.ts';
import { serveStandIn } from '../support/serve-stand-in.ts';
import { STATE_PRIVATE_KEY, STATE_PUBLIC_KEY, where } from '../support/state-keys.ts';

/**
 * Two replicas of the app, each started with `npm start` and stock settings (Probot's retries and throttling on),
 * sharing one real redis-server through REDIS_URL. Redis is killed, then brought back empty (it keeps nothing: the
 * docs say it needs no persistence), while deliveries keep coming: every one is applied.
 */
describe.skipIf(skipWithoutRedis())(
  'npm start with REDIS_URL, when Redis goes away and comes back empty',
  () => {
    const github = new GitHubStandIn('acme', 'widgets');
    let redis: RedisServer;
    let served: Awaited<ReturnType<typeof serveStandIn>>;
    const apps: AppProcess[] = [];
    let delivery = 0;

    beforeAll(async () => {
      github.files.set('.github/flowgate/feature.yml', readExample('plan-implement-review-revise.yml'));
      github.permissions.set('bob', 'maintain');
      github.issues.set(7, {
        title: 'Add a dark mode',
        author: 'alice',
        labels: [],
        state: 'open',
        pull: false,
      });
      redis = await RedisServer.start();
      served = await serveStandIn(github, () => {}, '/api/v3');
      const env = { REDIS_URL: redis.url };
      apps.push(
        ...(await Promise.all([
          AppProcess.start({ github: served.url, stateKey: STATE_PRIVATE_KEY, env }),
          AppProcess.start({ github: served.url, stateKey: STATE_PRIVATE_KEY, env }),
        ])),
      );
    }, 60_000);

    afterAll(async () => {
      for (const app of apps) await app.stop();
      await served?.close();
      await redis?.dispose();
    });

    const statusState = () => {
      const status = github.comments.find((c) => c.issue === 7 && c.body.includes('flowgate:state'));
      if (status === undefined) return undefined;
      const decoded = decodeStateBlock(status.body, STATE_PUBLIC_KEY, where(7));
      return decoded.ok ? decoded.state : undefined;
    };

    const command = async (app: AppProcess, body: string) => {
      const comment = github.addComment(7, 'bob', body);
      return app.deliver(
        'issue_comment',
        `outage-${++delivery}`,
        subjectPayload(github, 'issue_comment', 'created', 7, (p) => {
          p.comment.id = comment.id;
          p.comment.body = body;
          p.comment.user.login = 'bob';
          p.comment.user.type = 'User';
          p.sender.login = 'bob';
          p.sender.type = 'User';
        }),
      );
    };

    const until = async (done: () => boolean) => {
      for (let waited = 0; !done(); waited += 100) {
        if (waited > 20_000) throw new Error(`waited in vain:\n${apps.map((app) => app.output).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const botComments = () => github.comments.filter((c) => c.issue === 7 && c.type === 'Bot').length;

    it('applies each delivery while Redis is up, while it is down, and after it came back empty', async () => {
      const [a, b] = apps as [AppProcess, AppProcess];

      // Redis up: the label starts the run.
      const label = await a.deliver(
        'issues',
        `outage-${++delivery}`,
        subjectPayload(github, 'issues', 'labeled', 7, (p) => {
          p.label = { name: 'flowgate:feature' };
          p.sender.login = 'bob';
          p.sender.type = 'User';
        }),
      );
      expect(label.status).toBe(200);
      // Answered first, worked on after (docs/app.md, "How deliveries are answered").
      await until(() => statusState() !== undefined);
      expect(statusState()).toMatchObject({ stage: 'plan', status: 'running' });

      // Redis killed: a command to each replica is still applied, answered within seconds, not failed.
      await redis.stop();
      const before = botComments();
      const down = [await command(a, '/status'), await command(b, '/status')];
      expect(down.map((d) => d.status)).toEqual([200, 200]);
      // One reply to each /status.
      await until(() => botComments() >= before + 2);
      expect(botComments()).toBe(before + 2);

      // Redis back on the same port, empty: both replicas use it again, and deliveries are applied.
      await redis.restart();
      await until(() => apps.every((app) => app.output.includes('is back')));
      const back = await command(b, '/cancel');
      expect(back.status).toBe(200);
      await until(() => statusState()?.status === 'cancelled');
      expect(statusState()).toMatchObject({ status: 'cancelled' });
      const replies = botComments();
      const after = await command(a, '/status');
      expect(after.status).toBe(200);
      await until(() => botComments() >= replies + 1);
      expect(botComments()).toBe(replies + 1);

      const logs = apps.map((app) => app.output).join('\n');
      expect(logs).toContain('cannot be used');
      expect(logs).not.toContain('SETTINGS_KEY_NOT_FOUND');
      expect(logs).not.toContain('UNKNOWN_CLIENT');
      expect(logs).not.toContain('MaxRetriesPerRequestError');
    }, 120_000);
  },
);
