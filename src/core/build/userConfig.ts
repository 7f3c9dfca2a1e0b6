import os from 'node:os';
import path from 'node:path';
import { loadConfigFile, type MuneroConfig } from './config';
import type { EngineEnv } from './settings';

/**
 * Settings that route the API key or widen what commands may do. A cloned repository must not
 * be able to send the user's key to its own host or let its agent reach the network, so these
 * are read only from the user: flags, environment, user-level editor settings, or the user's
 * own config file outside every workspace.
 */
const USER_ONLY = ['baseURL', 'sandbox', 'commands.allow', 'commands.network', 'commands.env'] as const;

/** `$XDG_CONFIG_HOME/munero/config.json` (else `~/.config/…`; `%APPDATA%\munero\…` on Windows). */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MUNERO_USER_CONFIG) return env.MUNERO_USER_CONFIG;
  const base = process.platform === 'win32' ? (env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming')) : (env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'));
  return path.join(base, 'munero', 'config.json');
}

/** The workspace's config without the user-only keys, and the names of those it tried to set. */
export function withoutUserOnly(config: MuneroConfig): { config: MuneroConfig; ignored: string[] } {
  const ignored = USER_ONLY.filter((key) => valueAt(config, key) !== undefined);
  const { baseURL: _baseURL, sandbox: _sandbox, ...rest } = config;
  const commands = config.commands ? { ...config.commands, allow: undefined, network: undefined, env: undefined } : undefined;
  return { config: { ...rest, commands }, ignored: [...ignored] };
}

/** The user-only settings: what the adapter gave (flags, environment, editor user settings) over the user's config file. */
export function resolveUserSettings(given: EngineEnv, file: string = userConfigFile()): EngineEnv {
  const user = loadConfigFile(file);
  return {
    ...given,
    baseURL: given.baseURL ?? user.baseURL,
    baseURLSetting: given.baseURL ? given.baseURLSetting : user.baseURL ? `"baseURL" in ${file}` : undefined,
    sandbox: given.sandbox ?? user.sandbox ?? 'on',
    allowedHosts: given.allowedHosts ?? user.commands?.network ?? [],
    allowCommands: [...(given.allowCommands ?? []), ...(user.commands?.allow ?? [])],
    envNames: [...(given.envNames ?? []), ...(user.commands?.env ?? [])],
  };
}

function valueAt(config: MuneroConfig, key: (typeof USER_ONLY)[number]): unknown {
  const [head, tail] = key.split('.') as [keyof MuneroConfig, string | undefined];
  const value = config[head];
  return tail === undefined ? value : (value as Record<string, unknown> | undefined)?.[tail];
}
