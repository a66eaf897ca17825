import type { GitHubClient } from './create-octokit.ts';

/**
 * The part of an Octokit client that src/github uses. Both flowgate's own client (`createOctokit`) and
 * Probot's `context.octokit` fit it, so every function here works in the app and in the Action alike.
 */
export type Octo = Pick<GitHubClient, 'rest' | 'paginate' | 'request'>;

/** A repository. */
export interface RepoRef {
  owner: string;
  repo: string;
  /** The repository's id, which state blocks are bound to (it survives renames and transfers). */
  id?: number;
}

/** An issue or a pull request (they share their numbers and their comments). */
export interface IssueRef extends RepoRef {
  number: number;
}

/** A comment on an issue or on a pull request's conversation, in the shape the rest of flowgate reads. */
export interface IssueComment {
  id: number;
  /** GitHub's GraphQL node id (REST's `node_id`), to ask who last edited the comment. */
  nodeId?: string;
  body: string;
  /** `ghost` when the account was deleted. */
  login: string;
  /** GitHub's `user.type === 'Bot'`: apps and the Actions bot. */
  isBot: boolean;
  /** The slug of the GitHub App the comment was made through (`performed_via_github_app`), if any. */
  appSlug?: string;
  createdAt: string;
  updatedAt: string;
  /** The comment's page (`html_url`). */
  url: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

/** A pull request review. */
export interface PullReview {
  id: number;
  /** `ghost` when the account was deleted. */
  login: string;
  isBot: boolean;
  state: ReviewState;
  body: string;
  /** The head commit the review was made on; null when GitHub no longer knows it. */
  commitId: string | null;
  /** Null while the review is PENDING (not submitted yet). */
  submittedAt: string | null;
}

/** A repository role, weakest first. Custom roles are reported as the base role they extend. */
export type Permission = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin';
