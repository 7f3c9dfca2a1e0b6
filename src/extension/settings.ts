import * as vscode from 'vscode';
import type { BuildFlags, EngineEnv, MuneroConfig, ReviewMode } from '../core';

const SECTION = 'munero';

/** Only values the user actually set: a VS Code default must not hide the spec's front matter. */
function explicit<T>(key: string): T | undefined {
  const info = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  const value = info?.workspaceFolderValue ?? info?.workspaceValue ?? info?.globalValue;
  return value === '' || value === null ? undefined : value;
}

export function buildFlags(): BuildFlags {
  return {
    model: explicit<string>('model'),
    maxIterations: explicit<number>('maxIterations'),
    maxCostUsd: maxCostUsd(),
    maxTokens: explicit<number>('maxTokens'),
    maxMinutes: explicit<number>('maxMinutes'),
    parallel: explicit<number>('parallelAgents'),
  };
}

/**
 * The cap applies by default (the setting's default) unless the user set 0 (or null, which VS
 * Code may drop and so read as the default) in their own settings. A workspace may lower it, never raise or clear it: a cloned repository must not be
 * able to spend the user's money.
 */
function maxCostUsd(): number | undefined {
  const info = vscode.workspace.getConfiguration(SECTION).inspect<number | null>('maxCostUsd');
  const user = info?.globalValue === undefined ? info?.defaultValue : info.globalValue;
  const cap = typeof user === 'number' && user > 0 ? user : undefined;
  const workspace = info?.workspaceFolderValue ?? info?.workspaceValue;
  if (typeof workspace !== 'number' || workspace <= 0) return cap;
  return cap === undefined ? workspace : Math.min(cap, workspace);
}

export function configOverrides(): MuneroConfig {
  return {
    maxTurnsPerTask: explicit<number>('maxTurnsPerTask'),
    reflection: explicit<boolean>('reflection'),
    reviewer: explicit<boolean>('reviewer'),
    commands: {
      test: explicit<string>('commands.test'),
      typecheck: explicit<string>('commands.typecheck'),
      lint: explicit<string>('commands.lint'),
    },
  };
}

/** Settings that route the key or widen what commands may do: from the user's own settings only. */
const USER_ONLY_KEYS = ['baseUrl', 'sandbox', 'commands.allow', 'commands.network', 'commands.env'];

/**
 * Read from the user (global) scope alone. The settings are declared `"scope": "application"`,
 * which VS Code already keeps out of workspace files; reading globalValue holds even where a
 * host does not.
 */
function userValue<T>(key: string): T | undefined {
  const value = vscode.workspace.getConfiguration(SECTION).inspect<T>(key)?.globalValue;
  return value === '' || value === null || (Array.isArray(value) && value.length === 0) ? undefined : value;
}

/** The user-only settings for the engine; the key comes from SecretStorage. */
export function userSettings(apiKey: string | undefined): EngineEnv {
  const setting = userValue<string>('baseUrl');
  return {
    apiKey,
    baseURL: setting ?? process.env.ANTHROPIC_BASE_URL,
    baseURLSetting: setting ? 'the munero.baseUrl setting' : 'ANTHROPIC_BASE_URL',
    model: process.env.MUNERO_MODEL,
    sandbox: userValue<'on' | 'off'>('sandbox'),
    allowCommands: userValue<string[]>('commands.allow'),
    allowedHosts: userValue<string[]>('commands.network'),
    envNames: userValue<string[]>('commands.env'),
  };
}

/** User-only settings a workspace's own settings file tried to set (ignored; the log names them). */
export function workspaceTriedUserOnly(): string[] {
  return USER_ONLY_KEYS.filter((key) => {
    const info = vscode.workspace.getConfiguration(SECTION).inspect(key);
    return info?.workspaceValue !== undefined || info?.workspaceFolderValue !== undefined;
  }).map((key) => `${SECTION}.${key}`);
}

export function specGlobs(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<string[]>('specFiles') ?? [];
}

/** `munero.review`: how the user reviews agents' changes (read at each decision point by the core). */
const REVIEW_STRICTNESS: ReviewMode[] = ['auto', 'review', 'approve'];

/**
 * The stricter of the user's and the workspace's choice: a workspace may ask for more review
 * (approve), never for less, so a cloned repository cannot turn review off.
 */
export function reviewMode(): ReviewMode {
  const info = vscode.workspace.getConfiguration(SECTION).inspect<string>('review');
  const known = (v: unknown): ReviewMode | undefined => (REVIEW_STRICTNESS.includes(v as ReviewMode) ? (v as ReviewMode) : undefined);
  const user = known(info?.globalValue) ?? 'review';
  const workspace = known(info?.workspaceFolderValue ?? info?.workspaceValue);
  return workspace && REVIEW_STRICTNESS.indexOf(workspace) > REVIEW_STRICTNESS.indexOf(user) ? workspace : user;
}
