// The tests' GitHub is the in-memory GitHub that `flowgate simulate` runs on (src/memory-github).
export {
  type Answer,
  MemoryGitHub as GitHubStandIn,
  type Request,
  type StoredComment,
} from '../../src/memory-github/memory-github.ts';
