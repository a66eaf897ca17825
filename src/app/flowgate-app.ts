import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Probot } from 'probot';
import { publicKeyTexts, stateKeyRing } from '../core/state/state-keys.ts';
import { getIssue } from '../github/get-issue.ts';
import type { KnownPermission } from '../github/get-permission.ts';
import type { LabelIds, RepoLabelIds } from '../github/label-ids.ts';
import type { WorkflowListing } from '../github/list-workflow-directory.ts';
import { requestStatus } from '../github/request-status.ts';
import type { KnownLabels } from '../github/set-issue-labels.ts';
import type { Octo } from '../github/types.ts';
import type { ReconcileDeps } from '../reconcile/reconcile-deps.ts';
import type { DefinitionCache } from '../reconcile/run-definition.ts';
import { SubjectComments } from '../reconcile/subject-comments.ts';
import { type SubjectEvent, timerSubjectOf } from '../reconcile/subject-event.ts';
import { subjectFromWebhook } from '../reconcile/subject-from-webhook.ts';
import { type AppConfig, readAppConfig } from './app-config.ts';
import { catchUp } from './catch-up.ts';
import { checkWorkflowFiles, pushCheckRequest } from './check-workflow-files.ts';
import { createAppTimers } from './create-app-timers.ts';
import { createSubjectLock } from './create-subject-lock.ts';
import { DeliveryWork } from './delivery-work.ts';
import { handleSubjectEvent } from './handle-webhook.ts';
import { type PullPayload, pullCheckRequest } from './pull-check-request.ts';
import type { SubjectLock } from './subject-lock.ts';
import { type AppTimers, entryKey, type TimerEntry } from './timers.ts';

/** How many characters of workflow file texts the app keeps (by blob sha), and for how many repositories it keeps labels. */
const BLOB_BYTES_KEPT = 10_000_000;
const LABEL_REPOS_KEPT = 10_000;
const LABEL_ID_REPOS_KEPT = 1_000;
/** How many status comments' ETags the app keeps, for conditional re-reads. */
/** How far back the first catch-up scan looks for `/flowgate start` comments a crash may have cut off. */
const START_LOOKBACK_MS = 60 * 60_000;
const ETAGS_KEPT = 10_000;
/** For how many repositories the app keeps the listing of `.github/flowgate/` (with its ETag). */
const LISTINGS_KEPT = 10_000;

/** The webhooks flowgate acts on; app.yml subscribes to exactly their events. */
export const WEBHOOKS = [
  'issue_comment.created',
  'issue_comment.edited',
  'issues.labeled',
  'issues.unlabeled',
  'issues.closed',
  'pull_request.labeled',
  'pull_request.unlabeled',
  'pull_request.closed',
  'pull_request.synchronize',
  'pull_request_review.submitted',
  'pull_request_review.dismissed',
  'check_run.rerequested',
  'workflow_run.completed',
] as const;

/** The webhooks that ask for the check of the workflow files; app.yml subscribes to their events too. */
export const CHECK_WEBHOOKS = [
  'push',
  'pull_request.opened',
  'pull_request.reopened',
  'pull_request.synchronize',
] as const;

export interface FlowgateAppOptions {
  config?: AppConfig;
  now?: () => string;
  nonce?: () => string;
  /**
   * The timers (stage deadlines, delays, archive). True, the default: `createAppTimers(config)` builds them (in
   * Redis with `REDIS_URL`, otherwise in memory with catch-up scans), and they live as long as the process. A host
   * that stops the app builds them itself (`RedisTimers`, `LocalTimers`), passes them here and closes them after
   * the app. Tests also turn them off (false), or take them (`at`, and `fire` to call at that time) to fire on a
   * simulated clock.
   */
  timers?: boolean | ((at: string, fire: () => Promise<void>) => void) | AppTimers;
  /**
   * What serialises subjects. By default `createSubjectLock(config)` builds it (Redis with `REDIS_URL`), and it
   * lives as long as the process: Probot gives apps no stop hook. A host that stops the app and goes on running
   * builds the lock itself, passes it here and closes it after the app.
   */
  lock?: SubjectLock;
  /**
   * Whether a delivery is answered only after its work, when `FLOWGATE_AWAIT_WORK` does not say: true (the default:
   * a serverless host may freeze the function once it has answered), or false, answered first and worked on after
   * (`npm start`). Ignored when `work` is given.
   */
  awaitWork?: boolean;
  /** What carries out the deliveries' work; a host that stops the app builds it, to let the work finish first. */
  work?: DeliveryWork;
}

/**
 * The Probot app: every webhook becomes "reconcile this subject", serialised per issue or pull request, carried out
 * before or after the delivery is answered (`DeliveryWork`).
 */
export function flowgateApp(app: Probot, options: FlowgateAppOptions = {}): void {
  const config = options.config ?? readAppConfig(process.env);
  // Safe to publish: the Action verifies run states with it (FLOWGATE_STATE_PUBLIC_KEY).
  const [publicKey] = publicKeyTexts(stateKeyRing(config.stateKey));
  app.log.info(`flowgate: the state public key, for the Action's FLOWGATE_STATE_PUBLIC_KEY: ${publicKey}`);
  const lock =
    options.lock ??
    createSubjectLock(config, {
      info: (message) => app.log.info(message),
      warn: (message) => app.log.warn(message),
      error: (message) => app.log.error(message),
    });
  // Every cache the app keeps across deliveries has a bound (docs/app.md, "Memory"): the texts of workflow files by
  // blob sha (about 10 MB at most), loaded definitions (500, run-definition.ts), the comments of the last 1,000
  // subjects, and the labels known to exist in the last 10,000 repositories.
  const blobs = new LRUCache<string, string>({
    maxSize: BLOB_BYTES_KEPT,
    sizeCalculation: (text) => text.length + 1,
  });
  const definitions: DefinitionCache = new Map();
  const comments = new SubjectComments();
  const labels = new LRUCache<string, Set<string>>({ max: LABEL_REPOS_KEPT });
  // The node ids of labels in the last 1,000 repositories (at most 100 each): a status edit and label changes go in
  // one request.
  const labelIds: LabelIds = new LRUCache<string, RepoLabelIds>({ max: LABEL_ID_REPOS_KEPT });
  const etags = new LRUCache<string, { etag: string; rev: number }>({ max: ETAGS_KEPT });
  // Asked again (conditionally, free while unchanged) at each run's next event: correct whatever replica or restart.
  const listings = new LRUCache<string, WorkflowListing>({ max: LISTINGS_KEPT });
  // The last answers about subjects' labels and people's permissions, with their ETags: asked again conditionally.
  const labelAnswers = new LRUCache<string, KnownLabels>({ max: ETAGS_KEPT });
  const permissions = new LRUCache<string, KnownPermission>({ max: ETAGS_KEPT });
  const log = (message: string) => app.log.info(message);
  const work =
    options.work ??
    new DeliveryWork({
      awaitWork: config.awaitWork ?? options.awaitWork ?? true,
      log: (message) => app.log.error(message),
    });
  // The app's own bot may post Action outputs too (an Action that uses an installation token of the app).
  let ownLogin: Promise<string | undefined> | undefined;
  const outputAuthors = async () => {
    ownLogin ??= appBotLogin(app, log);
    const own = await ownLogin;
    return own === undefined || config.outputAuthors.includes(own)
      ? config.outputAuthors
      : [...config.outputAuthors, own];
  };

  const now = options.now ?? (() => new Date().toISOString());
  const nonce = options.nonce ?? (() => randomBytes(12).toString('base64url'));
  const timers: AppTimers | undefined =
    typeof options.timers === 'object'
      ? options.timers
      : options.timers === false || typeof options.timers === 'function'
        ? undefined
        : createAppTimers(config, {
            info: (message) => app.log.info(message),
            warn: (message) => app.log.warn(message),
            error: (message) => app.log.error(message),
          });
  const depsFor = async (octokit: Octo, schedule: (at: string) => void): Promise<ReconcileDeps> => ({
    octokit,
    config: { ...config, outputAuthors: await outputAuthors() },
    now,
    nonce,
    blobs,
    definitions,
    comments,
    labels,
    labelIds,
    etags,
    listings,
    labelAnswers,
    permissions,
    log,
    schedule,
  });
  /** A due time a reconcile of `subject` set, kept by the timers. */
  const keepTimer = (installation: number, subject: SubjectEvent) => (at: string) =>
    timers?.schedule({
      installation,
      owner: subject.repo.owner,
      repo: subject.repo.repo,
      ...(subject.repo.id === undefined ? {} : { repoId: subject.repo.id }),
      defaultBranch: subject.defaultBranch,
      number: subject.number,
      at,
    });
  let scannedAt: number | undefined;
  const reconcileAsTimer = async (subject: SubjectEvent, installation: number, octokit: Octo) =>
    handleSubjectEvent(subject, await depsFor(octokit, keepTimer(installation, subject)), lock);
  timers?.start({
    fire: async (entry: TimerEntry) => {
      const octokit = (await app.auth(entry.installation)) as unknown as Octo;
      const subject = await timerSubject(octokit, entry);
      if (subject === undefined) {
        log(`${entryKey(entry)}: the timer for ${entry.at} is dropped: the subject is gone`);
        return;
      }
      await reconcileAsTimer(subject, entry.installation, octokit);
    },
    catchUp: () => {
      // `/flowgate start` comments whose work a crash cut off: the first scan looks an hour back, each later one
      // from the one before (with a minute's margin for GitHub's clock).
      const at = Date.parse(now());
      const startsSince = new Date((scannedAt ?? at - START_LOOKBACK_MS) - 60_000).toISOString();
      return catchUp({
        appOctokit: async () => (await app.auth()) as unknown as Octo,
        installationOctokit: async (installation) => (await app.auth(installation)) as unknown as Octo,
        reconcile: reconcileAsTimer,
        startsSince,
        now,
        log: (message) => app.log.warn(message),
      }).then((report) => {
        // A scan that failed leaves the next one to look from where this one did.
        scannedAt = at;
        return report;
      });
    },
  });

  app.on([...WEBHOOKS], async (context) => {
    const payload = context.payload as {
      sender?: { type?: string };
      comment?: { body?: string };
      installation?: { id: number };
    };
    // The bot's own comments and label changes only echo what it did; Action outputs (bots too) are read.
    const fromBot = payload.sender?.type === 'Bot';
    if (fromBot && context.name === 'issues' && !('comment' in payload)) return;
    if (fromBot && payload.comment !== undefined && !(payload.comment.body ?? '').includes('flowgate:output'))
      return;
    const subject = subjectFromWebhook(context.name, context.id, context.payload);
    if (subject === undefined) return;
    const installation = payload.installation?.id;
    const what = `${subject.repo.owner}/${subject.repo.repo}#${subject.number}: delivery ${context.id}`;
    if (installation !== undefined && timers !== undefined) {
      await work.accept(what, async () =>
        handleSubjectEvent(
          subject,
          await depsFor(context.octokit as unknown as Octo, keepTimer(installation, subject)),
          lock,
        ),
      );
      return;
    }
    const take = typeof options.timers === 'function' ? options.timers : undefined;
    await work.accept(what, async () => {
      const deps: ReconcileDeps = await depsFor(context.octokit as unknown as Octo, (at) => {
        if (take === undefined || installation === undefined) return;
        take(at, async () => {
          const octokit = (await app.auth(installation)) as unknown as Octo;
          // As the app's own timers fire: the subject as GitHub shows it then (timerSubject).
          const fresh = await timerSubject(octokit, {
            at,
            installation,
            owner: subject.repo.owner,
            repo: subject.repo.repo,
            ...(subject.repo.id === undefined ? {} : { repoId: subject.repo.id }),
            defaultBranch: subject.defaultBranch,
            number: subject.number,
          });
          if (fresh !== undefined) await handleSubjectEvent(fresh, { ...deps, octokit }, lock);
        });
      });
      await handleSubjectEvent(subject, deps, lock);
    });
  });

  // The workflow files at every pushed commit that changes them, and at every pull request's head, get a check run.
  app.on([...CHECK_WEBHOOKS], async (context) => {
    const octokit = context.octokit as unknown as Octo;
    const payload = context.payload as { repository?: { full_name?: string }; after?: string };
    await work.accept(
      `${payload.repository?.full_name ?? 'a repository'}: delivery ${context.id}`,
      async () => {
        try {
          const request =
            context.name === 'push'
              ? pushCheckRequest(context.payload as Parameters<typeof pushCheckRequest>[0])
              : await pullCheckRequest(octokit, context.payload as PullPayload);
          if (request === undefined) return;
          await checkWorkflowFiles(octokit, request, blobs);
        } catch (error) {
          // The check of the workflow files never fails the delivery: the same webhook may concern a run too.
          app.log.error(
            `the workflow files of ${payload.repository?.full_name ?? 'a repository'} could not be checked: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      },
    );
  });

  app.on('installation', async (context) => {
    const account = context.payload.installation.account as { login?: string; slug?: string } | null;
    app.log.info(
      `flowgate installation ${context.payload.action} on ${account?.login ?? account?.slug ?? 'an account'}`,
    );
  });
}

/**
 * The subject of a timer as it is now (its labels, state, title: the webhook that set the timer may be days old),
 * or undefined when it is gone (deleted, or the installation lost access to it).
 * Cost: 1 GET.
 */
async function timerSubject(octokit: Octo, entry: TimerEntry): Promise<SubjectEvent | undefined> {
  const repo = {
    owner: entry.owner,
    repo: entry.repo,
    ...(entry.repoId === undefined ? {} : { id: entry.repoId }),
  };
  try {
    const issue = await getIssue(octokit, { ...repo, number: entry.number });
    return timerSubjectOf(issue, {
      deliveryId: `timer:${entry.at}`,
      repo,
      defaultBranch: entry.defaultBranch,
    });
  } catch (error) {
    if ([404, 410].includes(requestStatus(error) ?? 0)) return undefined;
    throw error;
  }
}

/** The login of the app's bot (`<slug>[bot]`), asked of GitHub once; undefined (and logged) when that fails. */
async function appBotLogin(app: Probot, log: (message: string) => void): Promise<string | undefined> {
  try {
    const octokit = (await app.auth()) as unknown as Octo;
    const { data } = await octokit.rest.apps.getAuthenticated();
    return data?.slug === undefined ? undefined : `${data.slug}[bot]`;
  } catch (error) {
    log(
      `could not read the app's own login (GET /app): ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
