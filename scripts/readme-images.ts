// Draws the README's pictures of flowgate on GitHub, docs/images/*.png, from `flowgate simulate`'s HTML view
// (src/simulate/issue-html.ts) with headless Chromium: the status comment and the check run of a simulated run of
// the plan-implement-review-revise example, and the dashboard of a sweep of the scheduled-content-pipeline example
// (the Action's own sweep code on the in-memory GitHub, with the offline models). Each picture holds one element of
// the page. Run by hand, not in CI: `npm run readme-images` (see CONTRIBUTING.md). It needs Chromium
// (`chromium`, or the path in CHROMIUM) and, for the emoji, an emoji font such as Debian's fonts-noto-color-emoji.
// The Mermaid graph is drawn by the mermaid package, fetched once from the npm registry (`npm pack`) into a
// temporary folder and inlined into the page: it is no dependency of the project, whose installs stay small.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runSweep } from '../src/action/sweep/run-sweep.ts';
import { formatDiagnostic } from '../src/core/diagnostic.ts';
import { loadWorkflow } from '../src/core/load/load-workflow.ts';
import { loadScript } from '../src/core/simulate/load-script.ts';
import { createOctokit } from '../src/github/create-octokit.ts';
import type { HookedOcto } from '../src/github/pace-writes.ts';
import { memoryFetch } from '../src/memory-github/memory-fetch.ts';
import { MemoryGitHub } from '../src/memory-github/memory-github.ts';
import { issueHtml } from '../src/simulate/issue-html.ts';
import { offlineModels } from '../src/simulate/offline-models.ts';
import { DEMO_STATE_KEY, simulateOnGitHub } from '../src/simulate/simulate-on-github.ts';

const run = promisify(execFile);
/** The Mermaid the pictures are drawn with (the HTML view loads the same major version from a CDN). */
const MERMAID_VERSION = '11.17.2';
const ROOT = new URL('../', import.meta.url);
const OUT = new URL('docs/images/', ROOT);
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
/** The largest picture the README takes. */
const MAX_BYTES = 200_000;
/** mermaid.min.js, once fetched (see `mermaidBundle`). */
let bundle: Promise<string> | undefined;

async function read(path: string): Promise<string> {
  return readFile(new URL(path, ROOT), 'utf8');
}

async function workflowOf(path: string) {
  const { workflow, diagnostics } = await loadWorkflow(path, await read(path));
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return workflow;
}

/**
 * The featured example's run with its script, or with its first `steps` steps only (it then stops where the run
 * waits): the page of the issue, and the anchors of its status comment and of the run's pull request.
 */
async function featuredRun(steps?: number): Promise<{ page: string; status: string; pull: string }> {
  const path = 'workflows-examples/plan-implement-review-revise.yml';
  const workflow = await workflowOf(path);
  const scriptPath = 'workflows-examples/scripts/plan-implement-review-revise.events.yml';
  const { loaded, diagnostics } = loadScript(scriptPath, await read(scriptPath), workflow);
  if (loaded === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const script = { ...loaded, steps: loaded.steps.slice(0, steps) };
  const result = await simulateOnGitHub(workflow, { file: { path, text: await read(path) }, script });
  const { github, subject } = result;
  const status = github.comments.find(
    (c) => c.issue === subject.number && c.body.includes('<!-- flowgate:status run='),
  );
  const pull = [...github.pulls.keys()].find((n) => n !== subject.number);
  if (status === undefined || pull === undefined)
    throw new Error('the run left no status comment or no pull request');
  return {
    page: issueHtml(github, subject.number, `${workflow.name} on issue #${subject.number}`),
    status: `#issuecomment-${status.id}`,
    pull: `#pull-${pull}`,
  };
}

/** A nightly sweep of the scheduled example over four briefs, run by the Action's sweep code: its dashboard's page. */
async function sweepDashboard(): Promise<string> {
  const path = 'workflows-examples/scheduled-content-pipeline.yml';
  const text = await read(path);
  const workflow = await workflowOf(path);
  let clock = Date.parse('2025-06-02T02:00:00Z');
  // Each request moves the clock on by 2 s, so that the dashboard shows times as a real night would.
  const now = () => {
    clock += 2_000;
    return new Date(clock).toISOString();
  };
  const github = new MemoryGitHub('example', 'repo', now);
  github.files.set(`.github/flowgate/${path.split('/').at(-1)}`, text);
  github.permissions.set('maya', 'maintain');
  const topics = ['Caching', 'Rate limits', 'Webhooks', 'Pagination'];
  topics.forEach((topic, i) => {
    github.issues.set(i + 1, {
      title: `${topic}, explained`,
      author: 'maya',
      labels: ['article-brief'],
      state: 'open',
      pull: false,
      body: `Explain ${topic.toLowerCase()} to API users.`,
      createdAt: '2025-06-01T09:00:00Z',
    });
  });
  const token = 'offline-action-token-0000';
  github.tokenLogins.set(token, 'github-actions[bot]');
  const octokit = createOctokit({ token, resilient: false, fetch: memoryFetch(github) });
  // The in-memory GitHub does not model pinning the dashboard (a GraphQL request): Octokit logs its 404, and the
  // sweep goes on without the pin, as it does on GitHub when pinning is refused.
  const result = await runSweep({
    octokit: octokit as unknown as HookedOcto,
    github: { token, repo: { owner: 'example', repo: 'repo', id: 1 }, apiUrl: github.baseUrl },
    defaultBranch: github.defaultBranch,
    runId: '1001',
    trigger: 'cron',
    actor: 'schedule',
    config: {
      stateKey: DEMO_STATE_KEY,
      actionsWorkflow: 'flowgate.yml',
      startPermission: 'write',
      outputAuthors: ['github-actions[bot]', github.botLogin],
    },
    models: offlineModels(workflow, { answers: [], decisions: [] }),
    env: {},
    log: { info: () => {}, warning: (m) => console.warn(m) },
    now,
    sleep: async () => {},
  });
  if (!result.ok) throw new Error(result.summary.join('\n'));
  const dashboard = [...github.issues.entries()].find(([, i]) => i.title === 'Content pipeline');
  if (dashboard === undefined) throw new Error('the sweep left no dashboard issue');
  return issueHtml(github, dashboard[0], `the dashboard of workflow ${workflow.name}`);
}

/**
 * The page with only the element `selector` left, drawn offline: the page's script that loads Mermaid from a CDN
 * is replaced by the mermaid package inlined, and the element's height is written to the body once it is drawn.
 * The `<details>` matching `open` are opened; the others stay as the page has them.
 */
async function isolate(page: string, selector: string, open: string): Promise<string> {
  const cdn = /<script type="module">[\s\S]*?<\/script>/;
  if (!cdn.test(page)) throw new Error('the HTML view no longer has its Mermaid script');
  const mermaid = await mermaidBundle();
  const script = `<script>${mermaid.replaceAll('</script', '<\\/script')}</script>
<script type="module">
const keep = document.querySelector(${JSON.stringify(selector)});
document.body.replaceChildren(keep);
document.body.style.cssText = 'margin: 0; padding: 1px 12px; max-width: none; background: #fff';
keep.style.margin = '12px 0';
for (const details of keep.querySelectorAll(${JSON.stringify(open)})) details.open = true;
mermaid.initialize({ startOnLoad: false });
await mermaid.run();
document.body.dataset.height = String(Math.ceil(document.body.getBoundingClientRect().height));
</script>`;
  return page.replace(cdn, () => script);
}

interface Picture {
  name: string;
  page: string;
  /** The element drawn. */
  selector: string;
  /** The `<details>` opened in it (none: `details.none`). */
  open?: string;
  /** The window's width in CSS pixels (default 900, about a comment's width on GitHub). */
  width?: number;
}

/** Screenshots the element the page keeps into docs/images/<name>.png: the window is cut to its height. */
async function draw(picture: Picture, dir: string): Promise<void> {
  const { name, page, selector, open = 'details.none', width = 900 } = picture;
  const file = join(dir, `${name}.html`);
  await writeFile(file, await isolate(page, selector, open));
  const chromium = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    // Grey-scale text edges: a smaller PNG than coloured sub-pixel ones.
    '--disable-lcd-text',
    '--force-device-scale-factor=1',
    '--virtual-time-budget=20000',
  ];
  const dom = await run(CHROMIUM, [...chromium, `--window-size=${width},2000`, '--dump-dom', file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const height = Number(/data-height="(\d+)"/.exec(dom.stdout)?.[1]);
  if (!(height > 0)) throw new Error(`${name}: the page did not finish drawing`);
  const png = new URL(`${name}.png`, OUT);
  await run(CHROMIUM, [
    ...chromium,
    `--window-size=${width},${height}`,
    `--screenshot=${png.pathname}`,
    file,
  ]);
  const { size } = await stat(png);
  console.log(`docs/images/${name}.png: ${width}×${height}, ${Math.round(size / 1000)} kB`);
  if (size > MAX_BYTES) throw new Error(`docs/images/${name}.png is over ${MAX_BYTES / 1000} kB`);
}

await mkdir(OUT, { recursive: true });
const dir = await mkdtemp(join(tmpdir(), 'flowgate-images-'));
try {
  // The status comment while the run waits at a gate: the plan approved, the pull request open for review.
  const waiting = await featuredRun(3);
  await draw({ name: 'status-comment', page: waiting.page, selector: waiting.status }, dir);
  // The check run once the run has completed, its summary opened as on the pull request's Checks tab.
  const completed = await featuredRun();
  const pull = { page: completed.page, selector: completed.pull, open: '.check-output' };
  await draw({ name: 'check-run', ...pull }, dir);
  const dashboard = { page: await sweepDashboard(), selector: 'article.comment', width: 1120 };
  await draw({ name: 'sweep-dashboard', ...dashboard }, dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** mermaid.min.js of MERMAID_VERSION, unpacked from the package `npm pack` fetches (once per run of the script). */
function mermaidBundle(): Promise<string> {
  bundle ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowgate-mermaid-'));
    try {
      const { stdout } = await run('npm', [
        'pack',
        `mermaid@${MERMAID_VERSION}`,
        '--silent',
        '--pack-destination',
        dir,
      ]);
      const tarball = join(dir, stdout.trim().split('\n').at(-1) ?? '');
      await run('tar', ['-xzf', tarball, '-C', dir, 'package/dist/mermaid.min.js']);
      return await readFile(join(dir, 'package/dist/mermaid.min.js'), 'utf8');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return bundle;
}
