/**
 * The environment every command starts with is built from an allowlist, never by deleting names
 * that look secret: a credential under an unexpected name (a cloud token, a database URL with a
 * password) must not reach a command the model chose.
 */
const PASSED_THROUGH = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TERM', 'TZ', 'CI', 'TMPDIR'];
const PASSED_THROUGH_PREFIXES = ['LC_'];

/** Names a user may add in settings (`commands.env`): plain environment variable names. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function commandEnv(opts: { extraNames?: readonly string[]; set?: Record<string, string>; from?: NodeJS.ProcessEnv } = {}): Record<string, string> {
  const from = opts.from ?? process.env;
  const env: Record<string, string> = {};
  const allowed = new Set([...PASSED_THROUGH, ...(opts.extraNames ?? [])]);
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (allowed.has(name) || PASSED_THROUGH_PREFIXES.some((p) => name.startsWith(p))) env[name] = value;
  }
  Object.assign(env, opts.set);
  // The key is never passed, even when a user names it: nothing a command does needs it.
  delete env.ANTHROPIC_API_KEY;
  env.CI ??= '1';
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  return env;
}
