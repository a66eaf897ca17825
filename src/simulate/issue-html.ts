import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { MemoryGitHub } from '../memory-github/memory-github.ts';

/** The HTML GitHub lets through in comments, roughly: what the status comment and outputs use, and no scripts. */
const ALLOWED = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'details',
    'summary',
    'img',
    'input',
    'del',
    'ins',
    'sup',
    'sub',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    input: ['type', 'checked', 'disabled'],
    code: ['class'],
    pre: ['class'],
    details: ['open'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
};

const markdown = new MarkdownIt({ html: true, linkify: true, breaks: false });
// Mermaid code blocks become diagrams, as on GitHub; the page draws them when it can load Mermaid.
const fence = markdown.renderer.rules.fence;
markdown.renderer.rules.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token?.info.trim() === 'mermaid')
    return `<pre class="mermaid">${markdown.utils.escapeHtml(token.content)}</pre>\n`;
  return fence === undefined
    ? self.renderToken(tokens, idx, options)
    : fence(tokens, idx, options, env, self);
};

/** Markdown as GitHub shows it in a comment: rendered, with HTML comments and anything unsafe removed. */
export function renderMarkdown(text: string): string {
  return sanitizeHtml(markdown.render(text), ALLOWED);
}

/** A check run's `output` title and summary, as GitHub shows them on the pull request's Checks tab. */
function checkOutput(output: unknown): { title: string; summary: string } {
  const { title, summary } = (output ?? {}) as { title?: unknown; summary?: unknown };
  return {
    title: typeof title === 'string' ? title : '',
    summary: typeof summary === 'string' ? summary : '',
  };
}

/**
 * One self-contained HTML page showing the subject as a person would see it on GitHub at the end of a simulated
 * run: its title, state and labels, every comment in order with its author (the status comment rendered, its
 * Mermaid graph drawn), the reviews, and the check runs of its pull requests (each with its title, and its summary
 * under "Details"). Comments and pull requests carry GitHub's anchors (`issuecomment-<id>`, `pull-<number>`). Mermaid is loaded from a CDN when
 * the page is opened; offline, the graph shows as its source.
 */
export function issueHtml(github: MemoryGitHub, number: number, heading: string): string {
  const issue = github.issues.get(number);
  const esc = (text: string) => markdown.utils.escapeHtml(text);
  const labels = (issue?.labels ?? []).map((l) => `<span class="label">${esc(l)}</span>`).join(' ');
  const comments = github.comments
    .filter((c) => c.issue === number)
    .map(
      (c) => `<article class="comment${c.login.endsWith('[bot]') ? ' bot' : ''}" id="issuecomment-${c.id}">
  <header><strong>${esc(c.login)}</strong> <time>${esc(c.created_at.slice(0, 16).replace('T', ' '))}</time>${c.updated_at !== c.created_at ? ' · edited' : ''}</header>
  <div class="body">${renderMarkdown(c.body)}</div>
</article>`,
    );
  const pulls = [...github.pulls.entries()]
    .filter(([n]) => n !== number || issue?.pull === true)
    .map(([n, p]) => {
      const checks = github.checkRuns
        .filter((r) => r.head_sha === (github.branchHead(p.headRef ?? '') ?? p.head))
        .map((r) => {
          const output = checkOutput(r.output);
          return `<li>${r.conclusion === null ? '🟡' : r.conclusion === 'success' ? '✅' : '❌'} <strong>${esc(r.name)}</strong>: ${esc(r.status)}${r.conclusion === null ? '' : ` (${esc(r.conclusion)})`}${output.title === '' ? '' : ` — ${esc(output.title)}`}${output.summary === '' ? '' : `<details class="check-output"><summary>Details</summary>${renderMarkdown(output.summary)}</details>`}</li>`;
        })
        .join('');
      const reviews = github.reviews
        .filter((r) => r.pull === n)
        .map(
          (r) =>
            `<li><strong>${esc(r.login)}</strong> ${esc(r.state.toLowerCase().replace('_', ' '))} at ${esc(r.commit_id.slice(0, 7))}${r.body === '' ? '' : `: ${esc(r.body)}`}</li>`,
        )
        .join('');
      return `<section class="pull" id="pull-${n}"><h2>Pull request #${n}: ${esc(p.title ?? '')}</h2>
  <p>${esc(p.headRef ?? '')} → ${esc(p.base)} at <code>${esc(p.head.slice(0, 7))}</code></p>
  ${checks === '' ? '' : `<h3>Checks</h3><ul>${checks}</ul>`}
  ${reviews === '' ? '' : `<h3>Reviews</h3><ul>${reviews}</ul>`}
</section>`;
    });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>
<style>
body { font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 920px; margin: 2em auto; color: #1f2328; }
h1 { font-weight: 400; } h1 .number { color: #59636e; }
.state { display: inline-block; padding: 4px 12px; border-radius: 2em; color: #fff; background: #1f883d; }
.state.closed { background: #8250df; }
.label { display: inline-block; padding: 0 8px; border-radius: 2em; background: #ddf4ff; border: 1px solid #54aeff; font-size: 12px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; margin: 1em 0; }
.comment header { background: #f6f8fa; padding: 8px 16px; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; }
.comment.bot header { background: #ddf4ff; }
.comment .body { padding: 8px 16px; overflow-x: auto; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 4px 12px; }
pre { background: #f6f8fa; padding: 12px; overflow-x: auto; } code { background: #eff1f3; padding: 0 3px; }
.pull { border-top: 2px solid #d1d9e0; margin-top: 2em; }
.check-output { margin: 4px 0 8px 24px; }
</style></head>
<body>
<p>${esc(heading)}</p>
<h1>${esc(issue?.title ?? '')} <span class="number">#${number}</span></h1>
<p><span class="state${issue?.state === 'closed' ? ' closed' : ''}">${issue?.state === 'closed' ? 'Closed' : 'Open'}</span>${issue?.locked === true ? ' 🔒 locked' : ''} ${labels}</p>
${issue?.body === undefined || issue.body === '' ? '' : `<article class="comment"><header><strong>${esc(issue.author)}</strong> opened this</header><div class="body">${renderMarkdown(issue.body)}</div></article>`}
${comments.join('\n')}
${pulls.join('\n')}
<script type="module">
try { const { default: mermaid } = await import('https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs'); mermaid.initialize({ startOnLoad: false }); await mermaid.run(); } catch {}
</script>
</body></html>
`;
}
