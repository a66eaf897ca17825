import type { RunState } from '../core/state/run-state.ts';
import { getPull, type PullInfo } from '../github/get-pull.ts';
import { listReviews } from '../github/list-reviews.ts';
import type { Octo, PullReview } from '../github/types.ts';
import type { SubjectEvent } from './subject-event.ts';

/** The pull request a run's approvals of code are about: the subject itself, or the latest one a stage opened. */
export function runPull(state: RunState, subject: SubjectEvent): number | undefined {
  if (subject.isPull) return subject.number;
  let latest: number | undefined;
  for (const record of Object.values(state.stages)) {
    const number = record.output?.pointer.pull_number;
    if (number !== undefined) latest = number;
  }
  return latest;
}

/** Pull requests and their reviews, each read once per reconcile. */
export class PullCache {
  readonly #octokit: Octo;
  readonly #owner: string;
  readonly #repo: string;
  readonly #known = new Map<number, Promise<{ info: PullInfo; reviews: PullReview[] }>>();

  constructor(octokit: Octo, owner: string, repo: string) {
    this.#octokit = octokit;
    this.#owner = owner;
    this.#repo = repo;
  }

  get(number: number): Promise<{ info: PullInfo; reviews: PullReview[] }> {
    const known = this.#known.get(number);
    if (known !== undefined) return known;
    const ref = { owner: this.#owner, repo: this.#repo, number };
    const read = Promise.all([getPull(this.#octokit, ref), listReviews(this.#octokit, ref)]).then(
      ([info, reviews]) => ({
        info,
        reviews,
      }),
    );
    this.#known.set(number, read);
    return read;
  }
}
