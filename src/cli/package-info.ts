import packageJson from '../../package.json' with { type: 'json' };

/** What the CLI knows about its own release: its version, and the Action commit its files reference. */
export function packageInfo(): { version: string; action: { uses: string; version: string } } {
  const { repository, commit, version } = packageJson.flowgateAction;
  return { version: packageJson.version, action: { uses: `${repository}/action@${commit}`, version } };
}
