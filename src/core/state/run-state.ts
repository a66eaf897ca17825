import { z } from 'zod';

/** The version of the state block this code writes. */
export const STATE_VERSION = 1;

export const RUN_STATUSES = [
  'running',
  'awaiting_approval',
  'paused',
  'failed',
  'cancelled',
  'completed',
] as const;
/** A run in one of these never changes again. */
export const FINAL_STATUSES: readonly RunStatus[] = ['cancelled', 'completed'];

const Time = z.string().min(1);

/** Where a large piece of text lives, since the state keeps only pointers (a comment, a pull request, a file). */
export const PointerSchema = z.strictObject({
  comment_id: z.number().int().optional(),
  /** An output posted in several comments: every part's comment id, in order (`comment_id` is the first). */
  parts: z.array(z.number().int()).optional(),
  pull_number: z.number().int().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
});

export const UsageSchema = z.strictObject({
  tokens_in: z.number().int().min(0).default(0),
  tokens_out: z.number().int().min(0).default(0),
  cost_usd: z.number().min(0).default(0),
});

/** One approval: who, when, of what (the sha256 of the content approved: a comment body or a PR head sha). */
export const ApprovalSchema = z.strictObject({
  by: z.string(),
  /** The stage attempt whose content was approved. */
  attempt: z.number().int().min(1),
  at: Time,
  step: z.enum(['prompt', 'response']),
  sha256: z.string(),
  via: z.enum(['command', 'review', 'ai', 'skip']),
  note: z.string().optional(),
  /** The verdict override the approval gave (`/approve --complete|--revise`): its note is handed to the next stage. */
  override: z.enum(['complete', 'revise']).optional(),
  event: z.string(),
});

export const RejectionSchema = z.strictObject({
  by: z.string(),
  attempt: z.number().int().min(1),
  at: Time,
  step: z.enum(['prompt', 'response']),
  reason: z.string(),
  via: z.enum(['command', 'review', 'ai']),
  event: z.string(),
});

/** A question a model asked people (`ask_human`), and the answer a person gave with `/answer`. */
export const AskedSchema = z.strictObject({
  /** The attempt the question was asked in. */
  attempt: z.number().int().min(1),
  /** Which step's model asked: the stage's model while answering, or the gate's AI approver judging `step`. */
  from: z.enum(['model', 'approver']),
  step: z.enum(['prompt', 'response']),
  question: z.string(),
  answer: z.string(),
  by: z.string(),
});

/** The most questions and answers a stage record keeps (the oldest go first). */
export const MAX_ASKED = 3;

/** What a stage has produced and what happened to it, across every visit of this run. */
export const StageRecordSchema = z.strictObject({
  /** How many times the run has entered this stage. */
  visits: z.number().int().min(0),
  /** How many outputs this stage has been asked for in this run (each visit and each retry), from 1. */
  attempt: z.number().int().min(0),
  /** Retries in all (AI approver rejections and /retry), and in the current visit (bounded by max_retries). */
  retries: z.number().int().min(0),
  visit_retries: z.number().int().min(0),
  prompt: z
    .strictObject({ attempt: z.number().int().min(1), sha256: z.string(), pointer: PointerSchema })
    .optional(),
  output: z
    .strictObject({
      attempt: z.number().int().min(1),
      /** sha256 of the output comment's body, or the pull request head sha for code. */
      sha256: z.string(),
      by: z.string().optional(),
      pointer: PointerSchema,
      verdict: z.enum(['pass', 'fail']).optional(),
      /**
       * Who set the verdict by editing the output's verdict line (a person allowed to approve the stage), when the
       * verdict that counts is theirs rather than the one the output was posted with.
       */
      verdict_by: z.string().optional(),
      /** The transition target the provider chose among `when_ai` transitions. */
      choice: z.string().optional(),
    })
    .optional(),
  feedback: z.string().optional(),
  /**
   * The stage whose override (`/approve --revise|--complete <note>`) handed `feedback` on to this one: the note is
   * about that stage's output, not about an earlier attempt of this stage. Absent for a rejection's feedback.
   */
  feedback_from: z.string().optional(),
  /**
   * Questions a model asked people in this visit (`ask_human`) and the answers people gave, oldest first (at most
   * `MAX_ASKED`): the model's next attempt, or the AI approver asked again, reads them.
   */
  asked: z.array(AskedSchema).optional(),
  approvals: z.array(ApprovalSchema),
  rejections: z.array(RejectionSchema),
  usage: UsageSchema,
  last_error: z.string().optional(),
});

/** What the run waits for right now. */
export const WaitSchema = z.discriminatedUnion('for', [
  /** The Action is working: a prompt, a response, or an AI approver's decision. */
  z.strictObject({
    for: z.literal('action'),
    step: z.enum(['prompt', 'response', 'approver']),
    /** For an AI approver: which step it judges. */
    of: z.enum(['prompt', 'response']).optional(),
    nonce: z.string(),
    deadline: Time,
  }),
  /** A gate on the prompt or the response waits for people. */
  z.strictObject({ for: z.literal('approval'), step: z.enum(['prompt', 'response']), opened_at: Time }),
  /**
   * A model asked people a question instead of deciding (`ask_human`): the stage's model while answering
   * (`from: model`, step `response`), or the gate's AI approver while judging `step`. `/answer <text>` answers it.
   */
  z.strictObject({
    for: z.literal('answer'),
    from: z.enum(['model', 'approver']),
    step: z.enum(['prompt', 'response']),
    question: z.string(),
    opened_at: Time,
  }),
  /** A manual stage waits for a person's content. */
  z.strictObject({
    for: z.literal('content'),
    /** When the wait began, in GitHub's time: only content posted at or after it counts. Absent: any. */
    since: Time.optional(),
    /** The comment the wait began with: only content in a later comment counts (ids only grow). */
    after: z.number().int().positive().optional(),
  }),
  /**
   * No transition condition of the stage holds yet and it has no fallback: the run waits in the stage and evaluates
   * its `when` conditions again on every later event (a label added or removed, a comment...), moving on once one
   * holds. `since`: when the wait began.
   */
  z.strictObject({ for: z.literal('condition'), since: Time }),
  /** A `delay` before moving on to `to`. */
  z.strictObject({ for: z.literal('delay'), until: Time, to: z.string() }),
]);

export const HistoryEntrySchema = z.strictObject({
  at: Time,
  actor: z.string(),
  event: z.string(),
  /** What happened, in words: `plan -> implement`, `approved by @octocat`, `paused`. */
  what: z.string(),
  reason: z.string().optional(),
});

export const SubjectSchema = z.strictObject({
  kind: z.enum(['issue', 'pull_request']),
  number: z.number().int().positive(),
  author: z.string(),
  title: z.string().default(''),
  labels: z.array(z.string()).default([]),
  /** For pull requests: the head sha approvals of code bind to, and who pushed it last. */
  head_sha: z.string().optional(),
  last_pusher: z.string().optional(),
});

export const RunStateSchema = z.strictObject({
  v: z.literal(STATE_VERSION),
  id: z.string().min(1),
  workflow: z.string(),
  /** The blob sha of the workflow file the run started with; the run keeps that definition until migrated. */
  definition: z.string(),
  subject: SubjectSchema,
  status: z.enum(RUN_STATUSES),
  stage: z.string(),
  wait: WaitSchema.optional(),
  /** Before a pause or a failure: what to do to go on. */
  resume: z
    .strictObject({
      /** The status to return to on /resume. */
      status: z.enum(['running', 'awaiting_approval']),
      reason: z.string(),
      /** continue: pick up where it stopped; start: start the stage's work (budgets are checked again); retry: only /retry goes on. */
      action: z.enum(['continue', 'start', 'retry']),
    })
    .optional(),
  stages: z.record(z.string(), StageRecordSchema),
  usage: UsageSchema,
  started_at: Time,
  updated_at: Time,
  completed_at: Time.optional(),
  last_error: z.string().optional(),
  history: z.array(HistoryEntrySchema),
  /** How many of the oldest history entries were dropped to keep the state small. */
  history_trimmed: z.number().int().min(0).default(0),
  /** Ids of events already applied (webhook deliveries, comments, reviews): applying one again changes nothing. */
  seen: z.array(z.string()),
  /**
   * Comments and reviews with ids at or below these count as applied, though their ids left `seen` (see
   * compact-state.ts). Absent: none yet.
   */
  cursor: z.strictObject({ comment: z.number().int().min(0), review: z.number().int().min(0) }).optional(),
  /** Bumped on every write; a writer that finds another rev re-reads and re-applies. */
  rev: z.number().int().min(0),
});

export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunState = z.output<typeof RunStateSchema>;
export type StageRecord = z.output<typeof StageRecordSchema>;
export type Approval = z.output<typeof ApprovalSchema>;
export type Rejection = z.output<typeof RejectionSchema>;
export type Usage = z.output<typeof UsageSchema>;
export type Pointer = z.output<typeof PointerSchema>;
export type Wait = z.output<typeof WaitSchema>;
export type Asked = z.output<typeof AskedSchema>;
export type HistoryEntry = z.output<typeof HistoryEntrySchema>;
export type Subject = z.output<typeof SubjectSchema>;
