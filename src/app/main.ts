// The app's process: `npm start`. Probot's own server, with two changes to its stock set-up (docs/app.md,
// "Running more than one replica"):
// - REDIS_URL is flowgate's alone. Probot would also put Octokit's rate limiter (Bottleneck) on that Redis, and
//   that limiter fails every request while Redis is down and never recovers from a Redis restarted empty. Each
//   process keeps its own limiter instead; flowgate's subject lock is what uses Redis, and it degrades to
//   per-replica serialisation while Redis is away.
// - The subject lock is built here, so that SIGTERM and SIGINT close it after the server stops.
// - Each delivery is answered first and worked on after (docs/app.md, "How deliveries are answered"), unless
//   FLOWGATE_AWAIT_WORK=true. SIGTERM and SIGINT let the work under way finish (up to 10 seconds) before the process exits; what a hard kill cuts off, the next delivery or the catch-up redoes.
import { run } from 'probot';
import { readAppConfig } from './app-config.ts';
import { createSubjectLock } from './create-subject-lock.ts';
import { DeliveryWork } from './delivery-work.ts';
import { flowgateApp } from './flowgate-app.ts';
import type { SubjectLock } from './subject-lock.ts';

/** Probot reads its options from this view of the environment: everything but REDIS_URL. */
export function probotEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get: (target, name) => (name === 'REDIS_URL' ? undefined : Reflect.get(target, name)),
    has: (target, name) => name !== 'REDIS_URL' && Reflect.has(target, name),
    ownKeys: (target) => Reflect.ownKeys(target).filter((name) => name !== 'REDIS_URL'),
  });
}

// Probot loads .env into process.env when it starts; the proxy reads it after that, as Probot itself does.
let lock: SubjectLock | undefined;
let work: DeliveryWork | undefined;
let warn: ((message: string) => void) | undefined;
/** How long a stopping process lets the work under way finish. */
const STOP_GRACE_MS = 10_000;
const server = await run(
  (app) => {
    const config = readAppConfig(process.env);
    lock = createSubjectLock(config, {
      info: (message) => app.log.info(message),
      warn: (message) => app.log.warn(message),
      error: (message) => app.log.error(message),
    });
    warn = (message) => app.log.warn(message);
    work = new DeliveryWork({
      awaitWork: config.awaitWork ?? false,
      log: (message) => app.log.error(message),
    });
    flowgateApp(app, { config, lock, work });
  },
  { env: probotEnv(process.env) },
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.stop().catch(() => {});
      if (work !== undefined && !(await work.drain(STOP_GRACE_MS)))
        warn?.(
          `flowgate: stopping with the work of ${work.pending} deliveries unfinished; the catch-up redoes it`,
        );
      await lock?.close();
      process.exit(0);
    })();
  });
}
