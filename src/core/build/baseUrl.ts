import { ConfigError } from './config';
import type { EngineEnv } from './settings';

/**
 * The base URL is checked before a build starts: one without a scheme ("localhost:8787") would
 * otherwise fail every request with the SDK's bare "Connection error." after a round of retries.
 */
export function checkBaseURL(env: EngineEnv): void {
  const url = env.baseURL;
  if (url === undefined) return;
  const setting = env.baseURLSetting ?? 'ANTHROPIC_BASE_URL';
  const wrong = (why: string) => new ConfigError(`The Claude API base URL ${JSON.stringify(url)} (${setting}) ${why}.`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const local = /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(url);
    throw wrong(`has no scheme: set ${setting} to ${local ? 'http' : 'https'}://${url}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw wrong('is not a valid URL: write it like https://api.anthropic.com or http://localhost:8787');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw wrong(`uses ${parsed.protocol}//; it must start with http:// or https://`);
  }
}
