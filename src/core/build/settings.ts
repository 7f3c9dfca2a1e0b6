import type { Spec } from '../spec';
import type { MuneroConfig } from './config';

/** A current Sonnet from the SDK's model list, not marked deprecated there. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_MAX_ITERATIONS = 5;

export interface BuildFlags {
  model?: string;
  maxIterations?: number;
  maxCostUsd?: number;
  maxTokens?: number;
  maxMinutes?: number;
  parallel?: number;
  /** Approve weakened or deleted tests, and changes to the judge's configuration (`--allow-test-changes`). */
  allowTestChanges?: boolean;
}

/** Where the engine learns the key and endpoint: the process environment, or the extension's secrets. */
export interface EngineEnv {
  apiKey?: string;
  baseURL?: string;
  model?: string;
}

export function envFromProcess(env: NodeJS.ProcessEnv = process.env): EngineEnv {
  return { apiKey: env.ANTHROPIC_API_KEY || undefined, baseURL: env.ANTHROPIC_BASE_URL || undefined, model: env.MUNERO_MODEL || undefined };
}

export class MissingApiKeyError extends Error {
  constructor() {
    super(
      'No Anthropic API key. Set ANTHROPIC_API_KEY in the environment (export ANTHROPIC_API_KEY=sk-ant-…; ' +
        'keys are made at https://console.anthropic.com/settings/keys), or in VS Code run "Munero: Set Anthropic API Key".',
    );
    this.name = 'MissingApiKeyError';
  }
}

/** Precedence: command-line flag, then environment, then the spec's front matter, then config, then default. */
export function resolveModel(flags: BuildFlags, env: EngineEnv, spec: Spec | undefined, config: MuneroConfig): string {
  return flags.model ?? env.model ?? spec?.settings.model ?? config.model ?? DEFAULT_MODEL;
}

export function resolveMaxIterations(flags: BuildFlags, spec: Spec | undefined, config: MuneroConfig): number {
  return flags.maxIterations ?? spec?.settings.max_iterations ?? config.maxIterations ?? DEFAULT_MAX_ITERATIONS;
}

export function resolveMaxCost(flags: BuildFlags, spec: Spec | undefined, config: MuneroConfig): number | undefined {
  return flags.maxCostUsd ?? spec?.settings.max_cost_usd ?? config.maxCostUsd;
}
