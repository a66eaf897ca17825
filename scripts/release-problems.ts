// The release checks (docs/releasing.md), as a pure function of the files they read, so tests can feed it texts.

export interface ReleaseFiles {
  packageJson: string;
  changelog: string | undefined;
  /** Whether LICENSE and SECURITY.md exist. */
  license: boolean;
  security: boolean;
  /** Actions workflows that teams copy (workflows-examples/.github/workflows/*.yml) and docs (*.md), by path. */
  examples: Record<string, string>;
  docs: Record<string, string>;
}

interface PackageJson {
  version?: string;
  private?: boolean;
  license?: string;
  engines?: { node?: string };
  files?: string[];
  bin?: Record<string, string>;
  exports?: unknown;
  repository?: { url?: string };
  flowgateAction?: { repository?: string; commit?: string; version?: string };
}

/** A step's `uses:` of the flowgate Action, as a YAML line (in a workflow, or a code block of a doc). */
const USES = /^[ \t]*(?:-[ \t]+)?uses:[ \t]*([^\s#]*\/flowgate\/action@[^\n]*)$/gm;
const DOC_PLACEHOLDER = '<owner>/flowgate/action@<full commit sha> # <version>';

/** What stops this tree from being released, one line each (`file: problem`); empty when nothing does. */
export function releaseProblems(files: ReleaseFiles): string[] {
  const problems: string[] = [];
  const pkg = JSON.parse(files.packageJson) as PackageJson;
  const version = pkg.version ?? '';
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))
    problems.push(`package.json: version "${version}" is not x.y.z`);
  if (pkg.private === true) problems.push('package.json: "private" keeps npm from publishing it');
  for (const field of ['license', 'engines', 'files', 'bin', 'exports', 'repository'] as const) {
    if (pkg[field] === undefined) problems.push(`package.json: no "${field}"`);
  }
  if (!files.license) problems.push('LICENSE: missing');
  if (!files.security) problems.push('SECURITY.md: missing');
  if (files.changelog === undefined) problems.push('CHANGELOG.md: missing');
  else {
    if (!files.changelog.includes('\n## [Unreleased]'))
      problems.push('CHANGELOG.md: no "## [Unreleased]" section');
    if (!files.changelog.includes(`\n## [${version}]`))
      problems.push(`CHANGELOG.md: no "## [${version}]" section`);
  }
  const pinned = pkg.flowgateAction;
  if (pinned?.repository === undefined || !/^[\w.-]+\/[\w.-]+$/.test(pinned.repository))
    problems.push('package.json: flowgateAction.repository is not <owner>/<repo>');
  if (pinned?.commit === undefined || !/^[0-9a-f]{40}$/.test(pinned.commit))
    problems.push('package.json: flowgateAction.commit is not a full 40-character commit sha');
  const released = pinned?.version?.replace(/^v/, '');
  if (
    released === undefined ||
    (files.changelog !== undefined && !files.changelog.includes(`\n## [${released}]`))
  )
    problems.push(`package.json: flowgateAction.version "${pinned?.version}" has no section in CHANGELOG.md`);
  const expected = `${pinned?.repository}/action@${pinned?.commit} # ${pinned?.version}`;
  for (const [path, text] of Object.entries(files.examples)) {
    const uses = [...text.matchAll(USES)].map((m) => m[1]?.trim());
    // The workflow-files check runs the flowgate command, not the Action: it has nothing to pin.
    if (uses.length === 0 && !/^\s*- run: npx (--no-install )?flowgate validate/m.test(text))
      problems.push(`${path}: does not use the flowgate Action`);
    for (const ref of uses) {
      if (ref !== expected)
        problems.push(`${path}: uses ${ref}; the release pins ${expected} (package.json flowgateAction)`);
    }
  }
  for (const [path, text] of Object.entries(files.docs)) {
    for (const ref of [...text.matchAll(USES)].map((m) => m[1]?.trim())) {
      if (ref !== undefined && !ref.startsWith(DOC_PLACEHOLDER) && !ref.startsWith(expected)) {
        problems.push(`${path}: uses ${ref}; write ${DOC_PLACEHOLDER}, or the pinned ${expected}`);
      }
    }
  }
  return problems;
}
