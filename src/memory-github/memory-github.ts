import { createHash } from 'node:crypto';

/**
 * An in-memory GitHub for one repository: enough of the REST API for flowgate (issues, comments, reactions,
 * labels, collaborators, team memberships, contents and blobs, git refs, pull requests, their files and reviews,
 * check runs, workflow dispatches, locks), answering in GitHub's response shapes and status codes. `handle` is
 * transport-free: `flowgate simulate` reaches it through Octokit with `memoryFetch` (memory-fetch.ts), tests mount
 * it with nock, benchmarks serve it on a local port. It is a real component: what it does not know it answers with
 * a 404 that names the request, so a call flowgate makes that it does not model shows up at once.
 *
 * One class holds the repository's data and its route table, so the file is longer than our usual 300 lines:
 * splitting the routes from the data they share would spread one resource's rules over several files.
 */
export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  type: 'User' | 'Bot';
  created_at: string;
  updated_at: string;
  /** Who edited it last (GraphQL `editor`), when it was edited: the token's identity for a PATCH. */
  editor?: string;
  /** When it was edited last (GraphQL `lastEditedAt`). */
  last_edited_at?: string;
  /** Every edit, oldest first (GraphQL `userContentEdits`). */
  edits?: { editor: string; at: string }[];
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The request's `authorization` header, when the transport passes it on (see `tokenLogins`). */
  authorization?: string;
  /** The request's `if-none-match` header: a conditional GET (answered 304 when the ETag is current). */
  ifNoneMatch?: string;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class MemoryGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly botLogin = 'flowgate[bot]';
  /** The repository's id (GET /repos/{owner}/{repo}, the installation's repositories). */
  repoId = 1;
  /** The app's one installation, on the repository's owner (GET /app/installations). */
  installationId = 42;
  /** Where the stand-in is served: pagination links point here (nock serves api.github.com; a local server its own). */
  baseUrl = 'https://api.github.com';
  issues = new Map<
    number,
    {
      title: string;
      author: string;
      labels: string[];
      state: string;
      pull: boolean;
      body?: string;
      /** When it was opened (default: the stand-in's clock at the time it is read). */
      createdAt?: string;
      /** The author's account type (default `User`). */
      authorType?: 'User' | 'Bot';
      /** Locked for conversation (PUT /issues/{n}/lock). */
      locked?: boolean;
      /** Who it is assigned to (POST /issues/{n}/assignees). */
      assignees?: string[];
    }
  >();
  comments: StoredComment[] = [];
  /** Issue events, oldest first (GET /repos/{o}/{r}/issues/events lists them newest first): labels added. */
  issueEvents: {
    id: number;
    event: 'labeled';
    actor: string;
    label: string;
    issue: number;
    created_at: string;
  }[] = [];
  reactions: { comment: number; content: string; login: string }[] = [];
  repoLabels = new Set<string>();
  /** The descriptions of the repository's labels that have one, by name. */
  labelDescriptions = new Map<string, string>();
  permissions = new Map<string, string>();
  /**
   * The default branch's files by path. Every text a file ever had stays readable as a blob (the git blobs API), as
   * in a git repository, where a changed or deleted file's earlier blob is still in the history.
   */
  files: Map<string, string> = new BlobKeepingMap();
  /** The files each pull request changes, as the pull request files API lists them. */
  pullFiles = new Map<
    number,
    { filename: string; status: string; additions: number; deletions: number; patch?: string }[]
  >();
  pulls = new Map<
    number,
    {
      head: string;
      base: string;
      author: string;
      headRef?: string;
      title?: string;
      body?: string;
      /** Reviews requested (POST /pulls/{n}/requested_reviewers): logins, and teams as `team:<slug>`. */
      requested?: string[];
    }
  >();
  /** The tree of each commit GET /git/commits/{sha} knows (an unknown commit answers 404, as GitHub does). */
  commitTrees = new Map<string, string>();
  /** Team members by `org/slug` (GET /orgs/{org}/teams/{slug}/memberships/{user}). */
  teams = new Map<string, Set<string>>();
  /**
   * The head commit of a branch, for the pulls API: a pull request with a `headRef` reads its head from here, and
   * opening one from a branch this does not know is refused as GitHub does. Tests point it at a real git remote.
   */
  branchHead: (ref: string) => string | undefined = () => undefined;
  reviews: {
    id: number;
    pull: number;
    login: string;
    state: string;
    body: string;
    commit_id: string;
    submitted_at: string;
  }[] = [];
  checkRuns: {
    id: number;
    name: string;
    head_sha: string;
    status: string;
    conclusion: string | null;
    external_id: string;
    output: unknown;
    /** Every annotation the check run was given, across its updates. */
    annotations: unknown[];
  }[] = [];
  dispatches: { workflow: string; ref: string; inputs: Record<string, string> }[] = [];
  /** The default branch; its files are `files`. */
  defaultBranch = 'main';
  /** Branches other than the default one, made through the git refs API, with their own files. */
  branches = new Map<string, { head: string; files: Map<string, string> }>();
  /** Every commit made through the contents API, oldest first. */
  commits: { branch: string; sha: string; path: string; message: string }[] = [];
  /** Who a token acts as (`token <t>` or `Bearer <t>`): its comments are posted as that bot; others as `botLogin`. */
  tokenLogins = new Map<string, string>();
  /** Every request, as `METHOD /path`. */
  log: string[] = [];
  /** Answers to hand out before the real ones, for failure tests: first match wins and is used once. */
  failures: { method: string; path: RegExp; status: number; thenSucceed: boolean }[] = [];
  /** Refuse GraphQL mutations as an unknown document (400), as a server without them would: REST is used instead. */
  refuseMutations = false;
  #nextId = 1000;
  /** Check runs are numbered apart from comments and reviews, as on GitHub. */
  #nextCheckRunId = 1;
  #clock: () => string;

  constructor(owner = 'acme', repo = 'widgets', clock: () => string = () => new Date().toISOString()) {
    this.owner = owner;
    this.repo = repo;
    this.#clock = clock;
  }

  /** `login` adds the label `name` to issue `number` (as GitHub does: on the issue, with an issue event). */
  labelIssue(number: number, login: string, name: string): void {
    const issue = this.issues.get(number);
    if (issue === undefined) throw new Error(`no issue ${number}`);
    if (!issue.labels.includes(name)) issue.labels.push(name);
    this.#labeled(number, login, name);
  }

  #labeled(number: number, login: string, name: string): void {
    this.issueEvents.push({
      id: this.#nextId++,
      event: 'labeled',
      actor: login,
      label: name,
      issue: number,
      created_at: this.#clock(),
    });
  }

  /** Adds a comment as a person (or another bot) would post it. */
  addComment(issue: number, login: string, body: string, type: 'User' | 'Bot' = 'User'): StoredComment {
    const at = this.#clock();
    const comment = { id: this.#nextId++, issue, body, login, type, created_at: at, updated_at: at };
    this.comments.push(comment);
    return comment;
  }

  addReview(pull: number, login: string, state: string, body = '', commit?: string) {
    const review = {
      id: this.#nextId++,
      pull,
      login,
      state,
      body,
      commit_id: commit ?? this.pulls.get(pull)?.head ?? '',
      submitted_at: this.#clock(),
    };
    this.reviews.push(review);
    return review;
  }

  /**
   * Edits a comment as `login` would on GitHub (people with write access may edit anyone's comment): the body,
   * `updated_at` (always later than before), and the editor and time GraphQL reports.
   */
  editComment(id: number, login: string, body: string): StoredComment {
    const comment = this.comments.find((c) => c.id === id);
    if (comment === undefined) throw new Error(`no comment ${id}`);
    comment.body = body;
    this.#edited(comment, login);
    return comment;
  }

  #edited(comment: StoredComment, login: string) {
    let at = this.#clock();
    if (Date.parse(at) <= Date.parse(comment.updated_at))
      at = new Date(Date.parse(comment.updated_at) + 1000).toISOString();
    comment.updated_at = at;
    comment.editor = login;
    comment.last_edited_at = at;
    comment.edits = [...(comment.edits ?? []), { editor: login, at }];
  }

  /** The login a request acts as: its token's (see `tokenLogins`), else the app's bot. */
  #identity(req: Request): string {
    const token = req.authorization?.replace(/^(token|bearer)\s+/i, '');
    return (token === undefined ? undefined : this.tokenLogins.get(token)) ?? this.botLogin;
  }

  blobSha(text: string): string {
    return createHash('sha1')
      .update(`blob ${Buffer.byteLength(text)}\0${text}`)
      .digest('hex');
  }

  handle(req: Request): Answer {
    this.log.push(`${req.method} ${req.path}`);
    const failure = this.failures.find((f) => f.method === req.method && f.path.test(req.path));
    if (failure !== undefined) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      if (!failure.thenSucceed) return { status: failure.status, body: { message: 'stand-in failure' } };
      const real = this.#route(req);
      return { ...real, status: failure.status, body: { message: 'Server Error' } };
    }
    const answer = this.#route(req);
    // A conditional request answered 304 is marked in the log: GitHub does not count it against the rate limit.
    if (answer.status === 304) this.log[this.log.length - 1] += ' 304';
    // A GraphQL mutation is marked too: GitHub counts it as content-creating, a query as a read.
    if (
      req.path === '/graphql' &&
      /^\s*mutation\b/.test(String((req.body as { query?: unknown })?.query ?? ''))
    )
      this.log[this.log.length - 1] += ' mutation';
    return answer;
  }

  #route(req: Request): Answer {
    const base = `/repos/${this.owner}/${this.repo}`;
    const m = (pattern: string) => new RegExp(`^${base}${pattern}$`).exec(req.path);
    const body = (req.body ?? {}) as Record<string, unknown>;
    let g: RegExpExecArray | null;
    if (req.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(req.path)) {
      return {
        status: 201,
        body: { token: 'installation-token', expires_at: '2099-01-01T00:00:00Z', permissions: {} },
      };
    }
    if (req.method === 'GET' && req.path === '/app/installations') {
      return { status: 200, body: [this.#installation()] };
    }
    if (req.method === 'GET' && req.path === '/installation/repositories') {
      return {
        status: 200,
        body: { total_count: 1, repository_selection: 'selected', repositories: [this.#repository()] },
      };
    }
    if (req.method === 'GET' && req.path === '/app') {
      return { status: 200, body: { id: 1, slug: this.botLogin.replace(/\[bot\]$/, ''), name: 'flowgate' } };
    }
    g = m('/issues/(\\d+)/comments');
    if (g) {
      const issue = Number(g[1]);
      if (req.method === 'GET') {
        const page = Number(req.query.get('page') ?? '1');
        const per = Number(req.query.get('per_page') ?? '30');
        const since = req.query.get('since');
        const all = this.comments.filter(
          (c) => c.issue === issue && (since === null || Date.parse(c.updated_at) >= Date.parse(since)),
        );
        const slice = all.slice((page - 1) * per, page * per);
        const headers: Record<string, string> = { date: new Date(this.#clock()).toUTCString() };
        if (page * per < all.length) {
          const sinceParam = since === null ? '' : `&since=${encodeURIComponent(since)}`;
          headers.link = `<${this.baseUrl}${req.path}?per_page=${per}&page=${page + 1}${sinceParam}>; rel="next"`;
        }
        return { status: 200, body: slice.map((c) => this.#comment(c)), headers };
      }
      if (req.method === 'POST') {
        const login = this.#identity(req);
        const stored = this.addComment(
          issue,
          login,
          String(body.body),
          login.endsWith('[bot]') ? 'Bot' : 'User',
        );
        return { status: 201, body: this.#comment(stored) };
      }
    }
    if (req.method === 'GET' && m('/issues/comments')) {
      // The repository's comments, oldest first (GitHub's default), those updated at or after `since`.
      const page = Number(req.query.get('page') ?? '1');
      const per = Number(req.query.get('per_page') ?? '30');
      const since = req.query.get('since');
      const all = this.comments.filter(
        (c) => since === null || Date.parse(c.updated_at) >= Date.parse(since),
      );
      const headers: Record<string, string> = {};
      if (page * per < all.length) {
        const sinceParam = since === null ? '' : `&since=${encodeURIComponent(since)}`;
        headers.link = `<${this.baseUrl}${req.path}?per_page=${per}&page=${page + 1}${sinceParam}>; rel="next"`;
      }
      return {
        status: 200,
        body: all.slice((page - 1) * per, page * per).map((c) => this.#comment(c)),
        headers,
      };
    }
    g = m('/issues/comments/(\\d+)/reactions');
    if (g && req.method === 'POST') {
      this.reactions.push({ comment: Number(g[1]), content: String(body.content), login: this.botLogin });
      return {
        status: 201,
        body: { id: this.#nextId++, content: body.content, user: this.#user(this.botLogin, 'Bot') },
      };
    }
    g = m('/issues/comments/(\\d+)');
    if (g) {
      const comment = this.comments.find((c) => c.id === Number(g?.[1]));
      if (comment === undefined) return { status: 404, body: { message: 'Not Found' } };
      if (req.method === 'PATCH') {
        comment.body = String(body.body);
        this.#edited(comment, this.#identity(req));
      }
      // As GitHub does: an ETag of the representation, and 304 (no body) to a GET whose If-None-Match is current.
      const shown = this.#comment(comment);
      const etag = `W/"${createHash('sha1').update(JSON.stringify(shown)).digest('hex')}"`;
      if (req.method === 'GET' && req.ifNoneMatch === etag) return { status: 304, headers: { etag } };
      return { status: 200, body: shown, headers: { etag } };
    }
    if (req.method === 'POST' && req.path === '/graphql') return this.#graphql(body, req);
    g = m('/collaborators/([^/]+)/permission');
    if (g) {
      const login = decodeURIComponent(g[1] ?? '');
      const role = this.permissions.get(login);
      if (role === undefined) return { status: 404, body: { message: 'Not Found' } };
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return this.#conditional(req, { permission, role_name: role, user: this.#user(login, 'User') });
    }
    if (req.method === 'GET' && req.path === base) {
      return { status: 200, body: this.#repository() };
    }
    g = m('/git/commits/([0-9a-f]{40})');
    if (g && req.method === 'GET') {
      const sha = g[1] ?? '';
      const tree = this.commitTrees.get(sha);
      if (tree === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: {
          sha,
          node_id: `C_${sha}`,
          url: `${this.baseUrl}${base}/git/commits/${sha}`,
          html_url: `https://github.com/${this.owner}/${this.repo}/commit/${sha}`,
          tree: { sha: tree, url: `${this.baseUrl}${base}/git/trees/${tree}` },
          message: 'commit',
          parents: [],
          verification: {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
        },
      };
    }
    g = m('/git/ref/(.+)');
    if (g && req.method === 'GET') {
      // Octokit sends the ref encoded: heads%2Fmain.
      const name = decodeURIComponent(g[1] ?? '').replace(/^heads\//, '');
      const head = this.#branchHeadSha(name);
      if (head === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: { ref: `refs/heads/${name}`, node_id: `REF_${name}`, object: { sha: head, type: 'commit' } },
      };
    }
    if (m('/git/refs') && req.method === 'POST') {
      const ref = String(body.ref);
      const sha = String(body.sha);
      const name = ref.replace(/^refs\/heads\//, '');
      if (!ref.startsWith('refs/heads/') || name === '') {
        return { status: 422, body: { message: `${ref} is not a valid ref name.` } };
      }
      if (this.#branchHeadSha(name) !== undefined) {
        return { status: 422, body: { message: 'Reference already exists' } };
      }
      const from =
        sha === this.#branchHeadSha(this.defaultBranch)
          ? this.files
          : [...this.branches.values()].find((b) => b.head === sha)?.files;
      if (from === undefined) return { status: 422, body: { message: 'Object does not exist' } };
      this.branches.set(name, { head: sha, files: new Map(from) });
      return { status: 201, body: { ref, object: { sha, type: 'commit' } } };
    }
    g = m('/contents/(.+)');
    const ref = req.query.get('ref');
    // A ref is a branch's name or its head commit.
    const onBranch =
      ref === null || this.branches.has(ref)
        ? ref
        : ([...this.branches.entries()].find(([, b]) => b.head === ref)?.[0] ?? null);
    if (g && req.method === 'GET' && onBranch !== null && this.branches.has(onBranch)) {
      const path = decodeURIComponent(g[1] ?? '');
      const files = this.branches.get(onBranch)?.files ?? new Map<string, string>();
      const text = files.get(path);
      const inDir = [...files.keys()].filter((p) => p.startsWith(`${path}/`));
      if (text === undefined && inDir.length > 0) {
        return this.#conditional(
          req,
          inDir.map((p) => ({
            type: 'file',
            path: p,
            name: p.split('/').at(-1),
            sha: this.blobSha(files.get(p) ?? ''),
          })),
        );
      }
      if (text === undefined) return { status: 404, body: { message: 'Not Found' } };
      return this.#conditional(req, this.#contentFile(path, text));
    }
    if (g && req.method === 'PUT') {
      const path = decodeURIComponent(g[1] ?? '');
      const name = typeof body.branch === 'string' ? body.branch : this.defaultBranch;
      if (name === this.defaultBranch) {
        return {
          status: 422,
          body: { message: 'the stand-in writes files on branches other than the default one' },
        };
      }
      const branch = this.branches.get(name);
      if (branch === undefined) return { status: 404, body: { message: `Branch ${name} not found` } };
      const existing = branch.files.get(path);
      if (existing !== undefined && body.sha === undefined) {
        return { status: 422, body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' } };
      }
      if (existing !== undefined && body.sha !== this.blobSha(existing)) {
        return { status: 409, body: { message: `${path} does not match ${String(body.sha)}` } };
      }
      const text = Buffer.from(String(body.content), 'base64').toString('utf8');
      const sha = createHash('sha1').update(`${branch.head}\0${path}\0${text}`).digest('hex');
      branch.files.set(path, text);
      branch.head = sha;
      this.commits.push({ branch: name, sha, path, message: String(body.message) });
      return {
        status: existing === undefined ? 201 : 200,
        body: {
          content: this.#contentFile(path, text),
          commit: {
            sha,
            html_url: `https://github.com/${this.owner}/${this.repo}/commit/${sha}`,
            message: String(body.message),
          },
        },
      };
    }
    if (g && req.method === 'GET') {
      const path = decodeURIComponent(g[1] ?? '');
      const inDir = [...this.files.keys()].filter(
        (p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/'),
      );
      if (inDir.length > 0) {
        return this.#conditional(
          req,
          inDir.map((p) => ({
            type: 'file',
            name: p.split('/').at(-1),
            path: p,
            sha: this.blobSha(this.files.get(p) ?? ''),
            size: 1,
          })),
        );
      }
      const text = this.files.get(path);
      if (text === undefined) return { status: 404, body: { message: 'Not Found' } };
      return this.#conditional(req, {
        type: 'file',
        path,
        name: path.split('/').at(-1),
        sha: this.blobSha(text),
        encoding: 'base64',
        content: Buffer.from(text).toString('base64'),
      });
    }
    g = m('/git/blobs/([0-9a-f]+)');
    if (g) {
      // Blobs are found by their sha in every branch, as in a git repository.
      const texts = [
        ...this.files.values(),
        ...(this.files instanceof BlobKeepingMap ? this.files.earlier : []),
        ...[...this.branches.values()].flatMap((b) => [...b.files.values()]),
      ];
      const text = texts.find((t) => this.blobSha(t) === g?.[1]);
      if (text === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: {
          sha: g[1],
          size: text.length,
          encoding: 'base64',
          content: Buffer.from(text).toString('base64'),
        },
      };
    }
    if (m('/labels') && req.method === 'POST') {
      if (this.repoLabels.has(String(body.name)))
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
          },
        };
      this.repoLabels.add(String(body.name));
      if (typeof body.description === 'string' && body.description !== '')
        this.labelDescriptions.set(String(body.name), body.description);
      return {
        status: 201,
        body: { ...this.#label(String(body.name)), color: body.color, description: body.description },
      };
    }
    g = m('/issues/(\\d+)/labels');
    if (g) {
      // Each answer is the issue's labels, with the ETag a GET of them answers (304 when If-None-Match is current).
      const issue = this.issues.get(Number(g[1]));
      if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
      const before = [...issue.labels];
      if (req.method === 'POST') {
        for (const name of (body.labels as string[]) ?? [])
          if (!issue.labels.includes(name)) issue.labels.push(name);
      } else if (req.method === 'PUT') {
        issue.labels = [...new Set((body.labels as string[]) ?? [])];
      }
      for (const name of issue.labels)
        if (!before.includes(name)) this.#labeled(Number(g[1]), this.#identity(req), name);
      if (['GET', 'POST', 'PUT'].includes(req.method))
        return this.#conditional(
          req,
          issue.labels.map((name) => this.#label(name)),
        );
    }
    g = m('/issues/(\\d+)/labels/(.+)');
    if (g && req.method === 'DELETE') {
      const issue = this.issues.get(Number(g[1]));
      const name = decodeURIComponent(g[2] ?? '');
      if (issue === undefined || !issue.labels.includes(name))
        return { status: 404, body: { message: 'Label does not exist' } };
      issue.labels = issue.labels.filter((l) => l !== name);
      return this.#conditional(
        req,
        issue.labels.map((n) => this.#label(n)),
      );
    }
    if (m('/issues/events') && req.method === 'GET') {
      // The repository's issue events, newest first, as GitHub lists them.
      const page = Number(req.query.get('page') ?? '1');
      const per = Number(req.query.get('per_page') ?? '30');
      const all = [...this.issueEvents].reverse();
      const headers: Record<string, string> = {};
      if (page * per < all.length)
        headers.link = `<${this.baseUrl}${req.path}?per_page=${per}&page=${page + 1}>; rel="next"`;
      const bot = (login: string) => login.endsWith('[bot]');
      return {
        status: 200,
        body: all.slice((page - 1) * per, page * per).map((e) => ({
          id: e.id,
          node_id: `LE_${e.id}`,
          url: `https://api.github.com/repos/${this.owner}/${this.repo}/issues/events/${e.id}`,
          actor: this.#user(e.actor, bot(e.actor) ? 'Bot' : 'User'),
          event: e.event,
          commit_id: null,
          commit_url: null,
          created_at: e.created_at,
          label: { name: e.label, color: 'ededed' },
          issue: this.#issue(e.issue),
          performed_via_github_app: null,
        })),
        headers,
      };
    }
    if (m('/issues') && req.method === 'GET') {
      const page = Number(req.query.get('page') ?? '1');
      const per = Number(req.query.get('per_page') ?? '30');
      const wanted = req.query.get('state') ?? 'open';
      const all = [...this.issues.keys()]
        .filter((n) => wanted === 'all' || this.issues.get(n)?.state === wanted)
        .sort((a, b) => a - b);
      const headers: Record<string, string> = {};
      if (page * per < all.length) {
        headers.link = `<${this.baseUrl}${req.path}?state=${wanted}&per_page=${per}&page=${page + 1}>; rel="next"`;
      }
      return {
        status: 200,
        body: all.slice((page - 1) * per, page * per).map((n) => this.#issue(n)),
        headers,
      };
    }
    if (m('/issues') && req.method === 'POST') {
      const number = Math.max(0, ...this.issues.keys(), ...this.pulls.keys()) + 1;
      this.issues.set(number, {
        title: String(body.title),
        author: this.botLogin,
        authorType: 'Bot',
        labels: [],
        state: 'open',
        pull: false,
        body: String(body.body ?? ''),
        createdAt: this.#clock(),
      });
      return { status: 201, body: this.#issue(number) };
    }
    g = m('/issues/(\\d+)');
    if (g && req.method === 'GET') {
      const number = Number(g[1]);
      const issue = this.issues.get(number);
      if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
      const page = `https://github.com/${this.owner}/${this.repo}/${issue.pull ? 'pull' : 'issues'}/${number}`;
      return {
        status: 200,
        body: {
          id: number,
          number,
          node_id: `I_${number}`,
          html_url: page,
          title: issue.title,
          body: issue.body ?? null,
          user: this.#user(issue.author, 'User'),
          labels: issue.labels.map((name) => this.#label(name)),
          state: issue.state,
          created_at: this.#clock(),
          updated_at: this.#clock(),
          ...(issue.pull ? { pull_request: { url: '', html_url: page } } : {}),
        },
      };
    }
    if (g && req.method === 'PATCH') {
      const issue = this.issues.get(Number(g[1]));
      if (issue !== undefined && typeof body.state === 'string') issue.state = body.state;
      if (issue !== undefined && typeof body.body === 'string') issue.body = body.body;
      if (issue !== undefined && typeof body.title === 'string') issue.title = body.title;
      return { status: 200, body: { number: Number(g[1]), state: issue?.state } };
    }
    g = m('/issues/(\\d+)/assignees');
    if (g && req.method === 'POST') {
      const issue = this.issues.get(Number(g[1]));
      if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
      const wanted = Array.isArray(body.assignees) ? body.assignees.map(String) : [];
      issue.assignees = [...new Set([...(issue.assignees ?? []), ...wanted])];
      return { status: 201, body: this.#issue(Number(g[1])) };
    }
    g = m('/pulls/(\\d+)/requested_reviewers');
    if (g && req.method === 'POST') {
      const pull = this.pulls.get(Number(g[1]));
      if (pull === undefined) return { status: 404, body: { message: 'Not Found' } };
      const users = Array.isArray(body.reviewers) ? body.reviewers.map(String) : [];
      const teams = Array.isArray(body.team_reviewers) ? body.team_reviewers.map(String) : [];
      pull.requested = [...new Set([...(pull.requested ?? []), ...users, ...teams.map((t) => `team:${t}`)])];
      return { status: 201, body: this.#pull(Number(g[1])) };
    }
    {
      const team = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(req.path);
      if (team && req.method === 'GET') {
        const members = this.teams.get(`${team[1]}/${team[2]}`);
        const login = decodeURIComponent(team[3] ?? '');
        if (members === undefined || !members.has(login))
          return { status: 404, body: { message: 'Not Found' } };
        return { status: 200, body: { state: 'active', role: 'member', url: '' } };
      }
    }
    g = m('/issues/(\\d+)/lock');
    if (g && req.method === 'PUT') {
      const issue = this.issues.get(Number(g[1]));
      if (issue === undefined) return { status: 404, body: { message: 'Not Found' } };
      issue.locked = true;
      return { status: 204 };
    }
    g = m('/actions/workflows/([^/]+)/dispatches');
    if (g && req.method === 'POST') {
      this.dispatches.push({
        workflow: decodeURIComponent(g[1] ?? ''),
        ref: String(body.ref),
        inputs: body.inputs as Record<string, string>,
      });
      return { status: 204 };
    }
    g = m('/pulls/(\\d+)/files');
    if (g && req.method === 'GET') {
      const page = Number(req.query.get('page') ?? '1');
      const per = Number(req.query.get('per_page') ?? '30');
      const all = this.pullFiles.get(Number(g[1])) ?? [];
      const headers: Record<string, string> = {};
      if (page * per < all.length) {
        headers.link = `<${this.baseUrl}${req.path}?per_page=${per}&page=${page + 1}>; rel="next"`;
      }
      return {
        status: 200,
        body: all
          .slice((page - 1) * per, page * per)
          .map((f) => ({ sha: '0'.repeat(40), changes: f.additions + f.deletions, ...f })),
        headers,
      };
    }
    g = m('/pulls/(\\d+)/reviews');
    if (g) {
      const pull = Number(g[1]);
      return {
        status: 200,
        body: this.reviews
          .filter((r) => r.pull === pull)
          .map((r) => ({
            id: r.id,
            user: this.#user(r.login, 'User'),
            body: r.body,
            state: r.state,
            commit_id: r.commit_id,
            submitted_at: r.submitted_at,
            html_url: '',
            author_association: 'MEMBER',
          })),
      };
    }
    if (m('/pulls') && req.method === 'GET') {
      const head = req.query.get('head');
      const state = req.query.get('state') ?? 'open';
      const listed = [...this.pulls.entries()].filter(([number, pull]) => {
        const open = (this.issues.get(number)?.state ?? 'open') === 'open';
        if (state !== 'all' && (state === 'open') !== open) return false;
        return head === null || `${this.owner}:${pull.headRef ?? 'feature'}` === head;
      });
      return { status: 200, body: listed.map(([number]) => this.#pull(number)) };
    }
    if (m('/pulls') && req.method === 'POST') {
      const headRef = String(body.head);
      const sha = this.branchHead(headRef);
      if (sha === undefined) return this.#invalid('PullRequest', 'head', 'invalid');
      const open = [...this.pulls.entries()].some(
        ([number, pull]) => pull.headRef === headRef && (this.issues.get(number)?.state ?? 'open') === 'open',
      );
      if (open) {
        return this.#invalid(
          'PullRequest',
          undefined,
          'custom',
          `A pull request already exists for ${this.owner}:${headRef}.`,
        );
      }
      const number = Math.max(0, ...this.issues.keys(), ...this.pulls.keys()) + 1;
      this.issues.set(number, {
        title: String(body.title),
        author: this.botLogin,
        labels: [],
        state: 'open',
        pull: true,
      });
      this.pulls.set(number, {
        head: sha,
        base: String(body.base),
        author: this.botLogin,
        headRef,
        title: String(body.title),
        body: String(body.body ?? ''),
      });
      return { status: 201, body: this.#pull(number) };
    }
    g = m('/pulls/(\\d+)');
    if (g && req.method === 'PATCH') {
      const pull = this.pulls.get(Number(g[1]));
      if (pull === undefined) return { status: 404, body: { message: 'Not Found' } };
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
      return { status: 200, body: this.#pull(Number(g[1])) };
    }
    g = m('/pulls/(\\d+)');
    if (g) {
      const pull = this.pulls.get(Number(g[1]));
      if (pull === undefined) return { status: 404, body: { message: 'Not Found' } };
      // The pull request's branch and its head as the git remote holds it (see `branchHead`), and its page.
      return { status: 200, body: { ...this.#pull(Number(g[1])), merged: false } };
    }
    g = m('/commits/([^/]+)/check-runs');
    if (g) {
      const runs = this.checkRuns.filter(
        (r) => r.head_sha === g?.[1] && r.name === req.query.get('check_name'),
      );
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (/\/check-runs(\/\d+)?$/.test(req.path) && annotationsOf(body.output).length > 50) {
      return this.#invalid('CheckRun', 'annotations', 'too_many', 'at most 50 annotations a request');
    }
    if (m('/check-runs') && req.method === 'POST') {
      const run = {
        id: this.#nextCheckRunId++,
        name: String(body.name),
        head_sha: String(body.head_sha),
        status: String(body.status),
        conclusion: (body.conclusion as string) ?? null,
        external_id: String(body.external_id),
        output: body.output,
        annotations: annotationsOf(body.output),
      };
      this.checkRuns.push(run);
      return { status: 201, body: run };
    }
    g = m('/check-runs/(\\d+)');
    if (g && req.method === 'PATCH') {
      const run = this.checkRuns.find((r) => r.id === Number(g?.[1]));
      if (run === undefined) return { status: 404, body: { message: 'Not Found' } };
      Object.assign(run, {
        status: body.status ?? run.status,
        conclusion: body.conclusion ?? run.conclusion,
        output: body.output ?? run.output,
        // GitHub adds the annotations of each update to those the check run has.
        annotations: [...run.annotations, ...annotationsOf(body.output)],
      });
      return { status: 200, body: run };
    }
    return { status: 404, body: { message: `the stand-in does not know ${req.method} ${req.path}` } };
  }

  /** As GitHub answers a GET: the representation with its ETag, or 304 (no body) when If-None-Match is current. */
  #conditional(req: Request, shown: unknown): Answer {
    const etag = `W/"${createHash('sha1').update(JSON.stringify(shown)).digest('hex')}"`;
    if (req.method === 'GET' && req.ifNoneMatch === etag) return { status: 304, headers: { etag } };
    return { status: 200, body: shown, headers: { etag } };
  }

  /** A branch's head: for the default branch, a sha derived from its files. */
  #branchHeadSha(name: string): string | undefined {
    if (name === this.defaultBranch) {
      const all = [...this.files.entries()].sort(([a], [b]) => a.localeCompare(b));
      return createHash('sha1').update(JSON.stringify(all)).digest('hex');
    }
    return this.branches.get(name)?.head;
  }

  /** The repository in the repositories API's shape (the fields flowgate reads, and a few more). */
  #repository() {
    return {
      id: this.repoId,
      node_id: `R_${this.repoId}`,
      name: this.repo,
      full_name: `${this.owner}/${this.repo}`,
      owner: this.#user(this.owner, 'Organization'),
      private: false,
      archived: false,
      default_branch: this.defaultBranch,
      html_url: `https://github.com/${this.owner}/${this.repo}`,
    };
  }

  /** The app's installation on the repository's owner, as GET /app/installations lists it. */
  #installation() {
    return {
      id: this.installationId,
      account: this.#user(this.owner, 'Organization'),
      app_id: 1,
      app_slug: this.botLogin.replace(/\[bot\]$/, ''),
      target_id: this.owner.length,
      target_type: 'Organization',
      repository_selection: 'selected',
      permissions: { issues: 'write', pull_requests: 'write', contents: 'write', actions: 'write' },
      events: [],
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      suspended_at: null,
    };
  }

  /** A label as issues carry it: its ids, its name, and its description when it has one. */
  #label(name: string) {
    const nodeId = labelNodeId(name);
    return {
      id: nodeId.length,
      node_id: nodeId,
      name,
      description: this.labelDescriptions.get(name) ?? null,
    };
  }

  /** A file in the contents API's shape. */
  #contentFile(path: string, text: string) {
    return {
      type: 'file',
      path,
      name: path.split('/').at(-1),
      sha: this.blobSha(text),
      size: Buffer.byteLength(text),
      encoding: 'base64',
      content: Buffer.from(text).toString('base64'),
      html_url: `https://github.com/${this.owner}/${this.repo}/blob/main/${path}`,
    };
  }

  /** An issue in the issues API's shape (the fields flowgate reads, and a few more). */
  #issue(number: number) {
    const issue = this.issues.get(number);
    const page = `https://github.com/${this.owner}/${this.repo}/${issue?.pull ? 'pull' : 'issues'}/${number}`;
    return {
      id: number,
      number,
      node_id: `I_${number}`,
      html_url: page,
      title: issue?.title ?? '',
      body: issue?.body ?? null,
      user: this.#user(issue?.author ?? 'ghost', issue?.authorType ?? 'User'),
      labels: (issue?.labels ?? []).map((name) => this.#label(name)),
      state: issue?.state ?? 'open',
      comments: this.comments.filter((c) => c.issue === number).length,
      created_at: issue?.createdAt ?? this.#clock(),
      updated_at: this.#clock(),
      ...(issue?.pull ? { pull_request: { url: '', html_url: page } } : {}),
    };
  }

  /** A pull request in the pulls API's shape (the fields flowgate reads, and a few more). */
  #pull(number: number) {
    const pull = this.pulls.get(number);
    const issue = this.issues.get(number);
    const headRef = pull?.headRef ?? 'feature';
    return {
      number,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${number}`,
      state: issue?.state ?? 'open',
      title: pull?.title ?? issue?.title ?? '',
      body: pull?.body ?? null,
      draft: false,
      user: this.#user(pull?.author ?? '', 'User'),
      head: {
        sha: (pull?.headRef === undefined ? undefined : this.branchHead(headRef)) ?? pull?.head,
        ref: headRef,
      },
      base: { sha: 'b'.repeat(40), ref: pull?.base },
    };
  }

  /**
   * GraphQL: only the query flowgate sends to learn who last edited comments (`nodes(ids:)` on IssueComment, see
   * src/github/list-comment-edits.ts), answered in GitHub's shape: a bot's login without `[bot]`, with
   * `__typename: Bot`; `editor` and `lastEditedAt` null for a comment never edited; null for an unknown id. Any
   * other query is refused with a 400 that quotes it, so a query flowgate sends that this does not model shows up.
   */
  #graphql(body: Record<string, unknown>, req: Request): Answer {
    const query = String(body.query ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (query.startsWith('mutation(') && !this.refuseMutations) {
      const answered = this.#mutation(query, (body.variables ?? {}) as Record<string, unknown>, req);
      if (answered !== undefined) return answered;
    }
    const known =
      /^query\(\$ids: \[ID!\]!\) \{ nodes\(ids: \$ids\) \{ \.\.\. on IssueComment \{ id lastEditedAt editor \{ __typename login \} userContentEdits\(last: (\d+)\) \{ nodes \{ editedAt editor \{ __typename login \} \} \} \} \} \}$/;
    const last = Number(known.exec(query)?.[1] ?? '0');
    if (!known.test(query)) {
      return {
        status: 400,
        body: { message: `the GitHub stand-in does not model this GraphQL query: ${query}` },
      };
    }
    const ids = (body.variables as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || ids.length > 100) {
      return { status: 200, body: { errors: [{ message: 'ids must be a list of at most 100 node ids' }] } };
    }
    const actor = (login: string) => {
      const bot = login.endsWith('[bot]');
      return { __typename: bot ? 'Bot' : 'User', login: bot ? login.slice(0, -'[bot]'.length) : login };
    };
    const errors: unknown[] = [];
    const nodes = ids.map((id, index) => {
      const comment = this.comments.find((c) => `IC_${c.id}` === id);
      if (comment === undefined) {
        errors.push({
          type: 'NOT_FOUND',
          path: ['nodes', index],
          message: `Could not resolve to a node with the global id of '${String(id)}'`,
        });
        return null;
      }
      return {
        id,
        lastEditedAt: comment.last_edited_at ?? null,
        editor: comment.editor === undefined ? null : actor(comment.editor),
        userContentEdits: {
          nodes: (comment.edits ?? []).slice(-last).map((e) => ({ editedAt: e.at, editor: actor(e.editor) })),
        },
      };
    });
    return { status: 200, body: { data: { nodes }, ...(errors.length > 0 ? { errors } : {}) } };
  }

  /**
   * The mutation flowgate sends to edit a status comment and move labels in one request
   * (src/github/update-comment-with-labels.ts): `updateIssueComment`, then, aliased `added` and `removed`,
   * `addLabelsToLabelable` and `removeLabelsFromLabelable`, run in that order as GitHub runs a mutation's fields.
   * A node id this does not know answers null for that field and a NOT_FOUND error, as GitHub does; the other
   * fields still run. Undefined for any other document (refused by the caller).
   */
  #mutation(query: string, variables: Record<string, unknown>, req: Request): Answer | undefined {
    const edit =
      'updateIssueComment\\(input: \\{ id: \\$comment, body: \\$body \\}\\) \\{ issueComment \\{ updatedAt \\} \\}';
    const add =
      'added: addLabelsToLabelable\\(input: \\{ labelableId: \\$subject, labelIds: \\$add \\}\\) \\{ clientMutationId \\}';
    const remove =
      'removed: removeLabelsFromLabelable\\(input: \\{ labelableId: \\$subject, labelIds: \\$remove \\}\\) \\{ clientMutationId \\}';
    const shape = new RegExp(
      `^mutation\\(\\$comment: ID!, \\$body: String!(, \\$subject: ID!)?(, \\$add: \\[ID!\\]!)?(, \\$remove: \\[ID!\\]!)?\\) \\{ ${edit}( ${add})?( ${remove})? \\}$`,
    ).exec(query);
    // Every variable declared is used, as GraphQL requires: `$subject` exactly when labels change.
    if (shape === null || (shape[2] === undefined) !== (shape[4] === undefined)) return undefined;
    if ((shape[3] === undefined) !== (shape[5] === undefined)) return undefined;
    if ((shape[1] === undefined) !== (shape[4] === undefined && shape[5] === undefined)) return undefined;
    const errors: unknown[] = [];
    const notFound = (path: string, id: unknown) => {
      errors.push({
        type: 'NOT_FOUND',
        path: [path],
        message: `Could not resolve to a node with the global id of '${String(id)}'`,
      });
      return null;
    };
    const data: Record<string, unknown> = {};
    const comment = this.comments.find((c) => `IC_${c.id}` === variables.comment);
    if (comment === undefined || typeof variables.body !== 'string') {
      data.updateIssueComment = notFound('updateIssueComment', variables.comment);
    } else {
      comment.body = variables.body;
      this.#edited(comment, this.#identity(req));
      data.updateIssueComment = { issueComment: { updatedAt: comment.updated_at } };
    }
    const number = /^(?:I|PR)_(\d+)$/.exec(String(variables.subject))?.[1];
    const issue = number === undefined ? undefined : this.issues.get(Number(number));
    // The repository's labels: those created, and those an issue was given by name (GitHub creates those).
    const known = new Set([...this.repoLabels, ...[...this.issues.values()].flatMap((i) => i.labels)]);
    const labelsOf = (ids: unknown) =>
      Array.isArray(ids) ? ids.map((id) => [...known].find((name) => labelNodeId(name) === id)) : [];
    for (const [field, ids] of [
      ['added', shape[2] === undefined ? undefined : variables.add],
      ['removed', shape[3] === undefined ? undefined : variables.remove],
    ] as const) {
      if (ids === undefined) continue;
      const names = labelsOf(ids);
      if (issue === undefined) {
        data[field] = notFound(field, variables.subject);
        continue;
      }
      const missing = names.findIndex((name) => name === undefined);
      if (missing >= 0) {
        data[field] = notFound(field, (ids as unknown[])[missing]);
        continue;
      }
      for (const name of names as string[]) {
        if (field === 'added' && !issue.labels.includes(name)) {
          issue.labels.push(name);
          this.#labeled(Number(number), this.#identity(req), name);
        }
        if (field === 'removed') issue.labels = issue.labels.filter((l) => l !== name);
      }
      data[field] = { clientMutationId: null };
    }
    return { status: 200, body: { data, ...(errors.length > 0 ? { errors } : {}) } };
  }

  #invalid(resource: string, field: string | undefined, code: string, message?: string): Answer {
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource,
            code,
            ...(field === undefined ? {} : { field }),
            ...(message === undefined ? {} : { message }),
          },
        ],
      },
    };
  }

  #user(login: string, type: string) {
    return { login, id: login.length, type, site_admin: false };
  }

  #comment(c: StoredComment) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `https://api.github.com/repos/${this.owner}/${this.repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${c.issue}#issuecomment-${c.id}`,
      issue_url: `https://api.github.com/repos/${this.owner}/${this.repo}/issues/${c.issue}`,
      body: c.body,
      user: this.#user(c.login, c.type),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      performed_via_github_app: c.login === this.botLogin ? { slug: 'flowgate', id: 1 } : null,
    };
  }

  /** The app's comments (status, replies, notices), newest last. */
  botComments(issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === issue && c.login === this.botLogin);
  }
}

/** The GraphQL node id the stand-in gives a label (`LA_` and its name, base64url). */
export function labelNodeId(name: string): string {
  return `LA_${Buffer.from(name).toString('base64url')}`;
}

/** The annotations in a check run's `output` (GitHub takes at most 50 a request: see `tooManyAnnotations`). */
function annotationsOf(output: unknown): unknown[] {
  const list = (output as { annotations?: unknown } | undefined)?.annotations;
  return Array.isArray(list) ? list : [];
}

/** A map of paths to texts that remembers every text it held, for blobs to stay readable after a change. */
class BlobKeepingMap extends Map<string, string> {
  readonly earlier = new Set<string>();

  override set(path: string, text: string): this {
    const before = this.get(path);
    if (before !== undefined) this.earlier.add(before);
    return super.set(path, text);
  }

  override delete(path: string): boolean {
    const before = this.get(path);
    if (before !== undefined) this.earlier.add(before);
    return super.delete(path);
  }
}
