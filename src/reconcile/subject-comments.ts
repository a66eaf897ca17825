import { createHash } from 'node:crypto';
import { parseActionOutput } from '../core/action-output.ts';
import { listIssueCommentsSince } from '../github/list-issue-comments.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import type { Vouched } from './foreign-edits.ts';

/** What the app remembers of one subject's comments between deliveries. */
interface Remembered {
  /** GitHub's clock at the last listing. */
  listedAt: string;
  /** flowgate's own comments (status comments, replies, notices), by id, as last seen. */
  own: Map<number, IssueComment>;
  /** When the subject was last listed in full. */
  fullAt: number;
  /**
   * flowgate's status and output comments whose version (`updatedAt` and body) is known to be flowgate's writing:
   * written by this app, or checked (its last editor was flowgate). By id: that version's fingerprint.
   */
  vouched: Map<number, string>;
}

/**
 * The comments of the subjects the app has looked at recently, so that a delivery reads only what changed: one
 * GET of the comments created or edited since the last listing (with a margin for GitHub's clock and replicas),
 * merged with flowgate's own comments remembered from before. flowgate's comments are the only old ones a
 * reconcile needs (to read the state, and to find a reply it already posted): every other comment older than the
 * last listing was applied then, and an edit brings a comment back into the listing. Bounded: at most `subjects`
 * subjects, each listed in full again at least once an hour.
 */
export class SubjectComments {
  readonly #entries = new Map<string, Remembered>();
  readonly #subjects: number;

  constructor(subjects = 1000) {
    this.#subjects = subjects;
  }

  /** The subject's comments as the app needs them, oldest first, and how to remember them afterwards. */
  async read(
    octokit: Octo,
    issue: IssueRef,
    options: { full?: boolean } = {},
  ): Promise<{
    comments: IssueComment[];
    full: boolean;
    /** Whether this version of the comment is one the app knows it wrote or checked. */
    vouched: Vouched;
    /** The last version of a comment the app knows it wrote or checked, if it remembers it. */
    lastVouched: (id: number) => IssueComment | undefined;
    /** Remembers the subject's comments as the reconcile left them; all but `untrusted` as flowgate's writing. */
    remember: (comments: IssueComment[], untrusted?: ReadonlySet<number>) => void;
  }> {
    const key = keyOf(issue);
    const known = this.#entries.get(key);
    const incremental = known !== undefined && !options.full && Date.now() - known.fullAt < FULL_EVERY_MS;
    const since = incremental ? new Date(Date.parse(known.listedAt) - MARGIN_MS).toISOString() : undefined;
    const { comments: listed, listedAt } = await listIssueCommentsSince(octokit, issue, since);
    let comments = listed;
    if (incremental) {
      const merged = new Map(known.own);
      for (const c of listed) merged.set(c.id, c);
      comments = [...merged.values()].sort((a, b) => a.id - b.id);
    }
    const fullAt = incremental ? known.fullAt : Date.now();
    const vouchedBefore = known?.vouched ?? new Map<number, string>();
    const vouched: Vouched = (c) => vouchedBefore.get(c.id) === fingerprint(c);
    const lastVouched = (id: number) => {
      const c = known?.own.get(id);
      return c !== undefined && vouched(c) ? c : undefined;
    };
    const remember = (final: IssueComment[], untrusted: ReadonlySet<number> = new Set()) => {
      this.#entries.delete(key);
      const own = new Map(
        final
          .filter(isOwn)
          .slice(-OWN_KEPT)
          .map((c) => [c.id, c]),
      );
      const kept = new Map(vouchedBefore);
      for (const c of final) {
        if (!c.isBot || !c.body.includes('<!-- flowgate:')) continue;
        if (untrusted.has(c.id)) kept.delete(c.id);
        else kept.set(c.id, fingerprint(c));
      }
      const ids = [...kept.keys()].sort((a, b) => a - b).slice(-VOUCHED_KEPT);
      const vouchedNow = new Map(ids.map((id) => [id, kept.get(id) ?? '']));
      this.#entries.set(key, { listedAt, own, fullAt, vouched: vouchedNow });
      if (this.#entries.size > this.#subjects) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
    };
    return { comments, full: !incremental, vouched, lastVouched, remember };
  }

  /**
   * Makes the subject's next read list every comment, keeping what is known of flowgate's own writing (a job that
   * hands the full listing to a step; `forget` would also forget which versions are flowgate's).
   */
  listInFullNext(issue: IssueRef): void {
    const known = this.#entries.get(keyOf(issue));
    if (known !== undefined) known.fullAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Remembers comments the caller posted itself just now (a step's outputs) as flowgate's writing: this version of
   * each (`updatedAt` and body, as GitHub answered the write) needs no check of its last editor. An edit by anyone
   * changes the version, so it is checked as before. Only for a subject read before (`read`), else a no-op.
   */
  vouch(issue: IssueRef, comments: readonly IssueComment[]): void {
    const known = this.#entries.get(keyOf(issue));
    if (known === undefined) return;
    for (const c of comments) known.vouched.set(c.id, fingerprint(c));
  }

  /** Whether this version of a comment is one flowgate is known to have written or checked. */
  isVouched(issue: IssueRef, comment: IssueComment): boolean {
    return this.#entries.get(keyOf(issue))?.vouched.get(comment.id) === fingerprint(comment);
  }

  /** Forgets a subject, so that its next read lists every comment. */
  forget(issue: IssueRef): void {
    this.#entries.delete(keyOf(issue));
  }
}

function keyOf(issue: IssueRef): string {
  return `${issue.owner}/${issue.repo}#${issue.number}`;
}

/** How far before the last listing the next one starts: GitHub's timestamps have whole seconds, and replicas lag. */
const MARGIN_MS = 60_000;
const FULL_EVERY_MS = 60 * 60_000;
/** flowgate's own comments remembered per subject (every run's status comment and recent replies). */
const OWN_KEPT = 200;
/** flowgate's comments (status comments, outputs) whose checked version is remembered per subject. */
const VOUCHED_KEPT = 400;

/** A version of a comment: when it was last changed, and what it said. */
function fingerprint(comment: IssueComment): string {
  return `${comment.updatedAt} ${createHash('sha256').update(comment.body).digest('hex')}`;
}

/** A comment flowgate wrote: a bot comment carrying one of its markers, but not an Action output. */
function isOwn(comment: IssueComment): boolean {
  return (
    comment.isBot && comment.body.includes('<!-- flowgate:') && !/<!--\s*flowgate:output/i.test(comment.body)
  );
}

/**
 * Whether the listing holds part of an output posted in several comments: its other parts (older than the last
 * listing, or not edited) are needed to join the text or to see whether it changed, so the subject is listed in full.
 */
export function waitsForParts(comments: IssueComment[]): boolean {
  return comments.some((c) => {
    const parsed = c.body.includes('flowgate:output') ? parseActionOutput(c.body) : undefined;
    return parsed?.ok === true && 'part' in parsed.output && (parsed.output.part?.count ?? 1) > 1;
  });
}
