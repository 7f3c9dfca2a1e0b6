import * as vscode from 'vscode';
import type { BuildFlags, MuneroConfig } from '../core';

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

/** The cap applies by default (the setting's default) unless the user cleared it. */
function maxCostUsd(): number | undefined {
  const value = vscode.workspace.getConfiguration(SECTION).get<number | null>('maxCostUsd');
  return typeof value === 'number' && value > 0 ? value : undefined;
}

export function configOverrides(): MuneroConfig {
  const allow = explicit<string[]>('commands.allow');
  return {
    maxTurnsPerTask: explicit<number>('maxTurnsPerTask'),
    reflection: explicit<boolean>('reflection'),
    reviewer: explicit<boolean>('reviewer'),
    baseURL: explicit<string>('baseUrl'),
    commands: {
      test: explicit<string>('commands.test'),
      typecheck: explicit<string>('commands.typecheck'),
      lint: explicit<string>('commands.lint'),
      allow: allow && allow.length ? allow : undefined,
    },
  };
}

export function specGlobs(): string[] {
  return vscode.workspace.getConfiguration(SECTION).get<string[]>('specFiles') ?? [];
}

export function baseUrlSetting(): string | undefined {
  return explicit<string>('baseUrl');
}
