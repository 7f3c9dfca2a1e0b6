import type { ReviewMode } from '../review/types';
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
  /** Build only these requirements and the tasks they need (`--only R2,R5`). */
  only?: string[];
  /** Start although the spec has unresolved `[NEEDS CLARIFICATION]` markers (`--allow-unclear`). */
  allowUnclear?: boolean;
  /** How agents' changes reach the disk (`--review MODE`); wins over the adapter's setting. */
  reviewMode?: ReviewMode;
}

/**
 * What only the user decides, never a workspace file: the key, where requests go, and what
 * commands may do. Adapters fill it from flags, the environment and user-level settings;
 * `~/.config/munero/config.json` fills what they leave open (see userConfig.ts).
 */
export interface EngineEnv {
  apiKey?: string;
  baseURL?: string;
  /** Where baseURL was set (ANTHROPIC_BASE_URL, munero.baseUrl, a config file), named in the lines about it. */
  baseURLSetting?: string;
  model?: string;
  /** 'off' runs commands without the OS sandbox: only by the user's explicit choice. */
  sandbox?: 'on' | 'off';
  /** Hosts commands may reach through the sandbox (`commands.network`). */
  allowedHosts?: string[];
  /** Commands agents may run besides the validation commands (`commands.allow`). */
  allowCommands?: string[];
  /** Environment variable names passed to commands besides the fixed allowlist (`commands.env`). */
  envNames?: string[];
}

export function envFromProcess(env: NodeJS.ProcessEnv = process.env): EngineEnv {
  const sandbox = env.MUNERO_SANDBOX === 'off' ? 'off' : undefined;
  const baseURL = env.ANTHROPIC_BASE_URL || undefined;
  return { apiKey: env.ANTHROPIC_API_KEY || undefined, baseURL, baseURLSetting: baseURL && 'ANTHROPIC_BASE_URL', model: env.MUNERO_MODEL || undefined, sandbox };
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
