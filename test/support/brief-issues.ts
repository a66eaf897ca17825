import type { GitHubStandIn } from './github-stand-in.ts';

/** Opens issues #1 to #count labelled `brief` (or `label`) ("Brief n", "Write about topic n."), as the sweep tests select them. */
export function addBriefIssues(github: GitHubStandIn, count: number, author: string, label = 'brief'): void {
  for (let n = 1; n <= count; n++) {
    github.issues.set(n, {
      title: `Brief ${n}`,
      author,
      labels: [label],
      state: 'open',
      pull: false,
      body: `Write about topic ${n}.`,
      createdAt: '2025-01-01T00:00:00Z',
    });
  }
}
