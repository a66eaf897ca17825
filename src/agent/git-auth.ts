/**
 * How a token reaches git for one command that talks to a remote: an `AUTHORIZATION: basic` header (user
 * `x-access-token`, as actions/checkout sends it) in git's environment (`GIT_CONFIG_*`), never in an argument
 * list or a config file; and the forms of the token to hide in error messages.
 */
export function gitAuth(token: string | undefined): { env: Record<string, string>; secrets: string[] } {
  if (token === undefined || token === '') return { env: {}, secrets: [] };
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
    },
    secrets: [token, basic],
  };
}
