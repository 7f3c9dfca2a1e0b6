import fs from 'node:fs';
import path from 'node:path';
import type { FrozenCheck } from '../state/buildState';
import { sha256 } from '../state/blobs';
import { scriptOf } from './frozenJudge';
import { fingerprintRunners, RUNNER_KEY } from './runnerFingerprint';

interface ConfigKind {
  /** How the tool shows in a check's command. */
  uses: RegExp;
  /** Its configuration files at the workspace root. */
  files: RegExp;
  /** Its keys in package.json. */
  packageKeys: string[];
  /** Watched only for this check; otherwise for any. */
  check?: FrozenCheck['name'];
}

const KINDS: Record<string, ConfigKind> = {
  mocha: { uses: /\bmocha\b/, files: /^\.mocharc(\.(c?js|mjs|json|jsonc|ya?ml))?$/, packageKeys: ['mocha'] },
  jest: { uses: /\bjest\b/, files: /^jest\.config\.(c?js|mjs|ts|json)$/, packageKeys: ['jest'] },
  vitest: { uses: /\bvitest\b/, files: /^(vitest|vite)\.(config|workspace)\.(c?js|mjs|c?ts|mts)$/, packageKeys: [] },
  ava: { uses: /\bava\b/, files: /^ava\.config\.(c?js|mjs)$/, packageKeys: ['ava'] },
  pytest: { uses: /\bpytest\b/, files: /^(pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini|conftest\.py)$/, packageKeys: [] },
  tsc: { uses: /\btsc\b/, files: /^tsconfig.*\.json$/, packageKeys: [], check: 'typecheck' },
  eslint: { uses: /\beslint\b/, files: /^(\.eslintrc(\.(c?js|json|ya?ml))?|eslint\.config\.(c?js|mjs|c?ts|mts)|\.eslintignore)$/, packageKeys: ['eslintConfig'], check: 'lint' },
};

/** Test runners watched when a test command does not show which runner it uses. */
const TEST_RUNNERS = ['mocha', 'jest', 'vitest', 'ava', 'pytest'];

/** The tools whose configuration decides what the frozen checks judge. */
export function configKindsFor(checks: FrozenCheck[]): string[] {
  const kinds = new Set<string>();
  for (const check of checks) {
    const text = `${check.command}\n${check.run}`;
    const found = Object.entries(KINDS).filter(([, k]) => (!k.check || k.check === check.name) && k.uses.test(text));
    for (const [name] of found) kinds.add(name);
    if (check.name === 'test' && found.length === 0 && !/\b(node|deno|bun)\b.*--test\b|\bgo test\b|\bcargo test\b/.test(text)) {
      for (const name of TEST_RUNNERS) kinds.add(name);
    }
  }
  return [...kinds].sort();
}

/**
 * Fingerprints of the judge's configuration: each watched file at the root by name, the
 * package.json keys that configure the runners or hold the checks' scripts, by `package.json#key`,
 * and the programs the checks start from `node_modules/.bin`, by `node_modules/.bin/<name>`.
 */
export function fingerprintConfig(workspaceRoot: string, checks: FrozenCheck[], kinds: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const patterns = kinds.map((k) => KINDS[k]).filter(Boolean);
  let names: string[] = [];
  try {
    names = fs.readdirSync(workspaceRoot, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    // An unreadable root has nothing to fingerprint.
  }
  for (const name of names.filter((n) => patterns.some((k) => k.files.test(n))).sort()) {
    try {
      out[name] = sha256(fs.readFileSync(path.join(workspaceRoot, name)));
    } catch {
      // Gone between the listing and the read: absent.
    }
  }
  const pkg = readPackageJson(workspaceRoot);
  const keys = new Set(patterns.flatMap((k) => k.packageKeys));
  for (const check of checks) {
    const script = scriptOf(check.command);
    if (script) for (const key of [`pre${script.name}`, script.name, `post${script.name}`]) keys.add(`scripts.${key}`);
  }
  for (const key of [...keys].sort()) {
    const value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), pkg);
    if (value !== undefined) out[`package.json#${key}`] = sha256(JSON.stringify(value));
  }
  return { ...out, ...fingerprintRunners(workspaceRoot, checks) };
}

/** Each fingerprint that differs, with what happened to it. */
export function diffConfig(before: Record<string, string>, after: Record<string, string>): { file: string; change: string }[] {
  const changes: { file: string; change: string }[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (before[key] === after[key]) continue;
    const change = before[key] === undefined ? 'added' : after[key] === undefined ? 'removed' : 'changed';
    changes.push({ file: key, change: `${key.startsWith(RUNNER_KEY) ? 'test runner' : 'judge configuration'} ${change}` });
  }
  return changes;
}

function readPackageJson(workspaceRoot: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
