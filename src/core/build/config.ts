import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelPrice } from '../llm/pricing';
import { nearestName } from '../nearestName';
import { describeJsonError } from '../state/jsonErrors';
import { STATE_DIR } from '../state/workspaceState';

/** `.munero/config.json`: workspace settings a user may commit or edit by hand. */
export interface MuneroConfig {
  model?: string;
  baseURL?: string;
  maxIterations?: number;
  maxCostUsd?: number;
  maxTurnsPerTask?: number;
  maxTokens?: number;
  maxMinutes?: number;
  /** Caps for any one task. */
  task?: { maxCostUsd?: number; maxTokens?: number; maxMinutes?: number };
  /** Ready tasks run at once (default 3). */
  parallel?: number;
  /** Reflect on failed attempts with a reflector agent (default true). */
  reflection?: boolean;
  /** Have a reviewer agent check each task's change before the checks run (default false). */
  reviewer?: boolean;
  /** Verify a requirement only when a passing test names its id (default true); false: passing checks suffice. */
  traceability?: boolean;
  /** Characters an agent sends per turn before older tool results are elided (default 320,000). */
  maxContextChars?: number;
  /** After a task, run only the tests its change can affect (default true); overlap: let check runs overlap (default false). */
  checks?: { affectedOnly?: boolean; overlap?: boolean };
  commands?: { test?: string; typecheck?: string; lint?: string; allow?: string[]; network?: string[]; env?: string[]; timeoutS?: number };
  /** "off" runs commands without the OS sandbox. User config only. */
  sandbox?: 'on' | 'off';
  /** idleTimeoutS: a stream silent this long is retried (default 120). */
  request?: { timeoutS?: number; idleTimeoutS?: number; maxRetries?: number; retryBaseMs?: number; retryMaxMs?: number; maxTokens?: number };
  pricing?: Record<string, ModelPrice>;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The most tasks a build runs at once, from .munero/config.json or --parallel. */
export const MAX_PARALLEL = 32;

const positive = { type: 'number', exclusiveMinimum: 0 };
const count = { type: 'integer', minimum: 1 };
const price = {
  type: 'object',
  required: ['input', 'output', 'cacheWrite', 'cacheRead'],
  properties: { input: positive, output: positive, cacheWrite: positive, cacheRead: positive },
  additionalProperties: false,
};
const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1 },
    baseURL: { type: 'string', pattern: '^https?://' },
    maxIterations: count,
    maxCostUsd: positive,
    maxTurnsPerTask: count,
    maxTokens: count,
    maxMinutes: positive,
    task: {
      type: 'object',
      additionalProperties: false,
      properties: { maxCostUsd: positive, maxTokens: count, maxMinutes: positive },
    },
    parallel: { type: 'integer', minimum: 1, maximum: MAX_PARALLEL },
    reflection: { type: 'boolean' },
    reviewer: { type: 'boolean' },
    traceability: { type: 'boolean' },
    maxContextChars: { type: 'integer', minimum: 4000 },
    checks: {
      type: 'object',
      additionalProperties: false,
      properties: { affectedOnly: { type: 'boolean' }, overlap: { type: 'boolean' } },
    },
    commands: {
      type: 'object',
      additionalProperties: false,
      properties: {
        test: { type: 'string', minLength: 1 },
        typecheck: { type: 'string', minLength: 1 },
        lint: { type: 'string', minLength: 1 },
        allow: { type: 'array', items: { type: 'string', minLength: 1 } },
        network: { type: 'array', items: { type: 'string', minLength: 1 } },
        env: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
        timeoutS: positive,
      },
    },
    request: {
      type: 'object',
      additionalProperties: false,
      properties: { timeoutS: positive, idleTimeoutS: positive, maxRetries: { type: 'integer', minimum: 0 }, retryBaseMs: positive, retryMaxMs: positive, maxTokens: count },
    },
    pricing: { type: 'object', additionalProperties: price },
    sandbox: { enum: ['on', 'off'] },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

export function configFile(workspaceRoot: string): string {
  return path.join(workspaceRoot, STATE_DIR, 'config.json');
}

/** Reads the workspace config; a missing file is an empty config, a broken one an error naming the field. */
export function loadConfig(workspaceRoot: string): MuneroConfig {
  return loadConfigFile(configFile(workspaceRoot));
}

/** A config file in the common shape; a missing file is an empty config, a broken one an error naming the field. */
export function loadConfigFile(file: string): MuneroConfig {
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${describeJsonError(text, err)}). Fix it, or delete it to use the defaults.`);
  }
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
      if (e.keyword === 'additionalProperties') return unknownSetting(e.instancePath, (e.params as { additionalProperty: string }).additionalProperty);
      return `${where}: ${e.message}`;
    });
    throw new ConfigError(`${file} has invalid settings:\n  ${problems.join('\n  ')}\nFix them in that file; the README's "Settings" section lists every setting and its values.`);
  }
  return data as MuneroConfig;
}

function unknownSetting(parentPath: string, name: string): string {
  const parent = parentPath.split('/').filter(Boolean).reduce<{ properties?: Record<string, unknown> } | undefined>((s, key) => s?.properties?.[key] as typeof s, schema);
  const near = nearestName(name, Object.keys(parent?.properties ?? {}));
  const where = parentPath ? `${parentPath.slice(1).replace(/\//g, '.')}.` : '';
  return `${where}${name}: no such setting${near ? ` (did you mean "${near}"?)` : ''}`;
}

/** `over` wins field by field; nested `commands` and `request` merge too. */
export function mergeConfig(base: MuneroConfig, over: MuneroConfig): MuneroConfig {
  return {
    ...base,
    ...defined(over),
    commands: { ...base.commands, ...defined(over.commands) },
    checks: { ...base.checks, ...defined(over.checks) },
    request: { ...base.request, ...defined(over.request) },
    task: { ...base.task, ...defined(over.task) },
    pricing: { ...base.pricing, ...over.pricing },
  };
}

/** An unset field must not erase the one beneath it. */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
