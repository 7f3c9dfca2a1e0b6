import fs from 'node:fs';
import path from 'node:path';
import type { FrozenCheck } from '../state/buildState';
import type { CheckCommand } from './checks';

/** `npm test`, `npm run lint -- --fix`, `yarn test`, `pnpm run check`… */
const PACKAGE_SCRIPT = /^(npm|yarn|pnpm)\s+(?:(?:run|run-script)\s+)?([\w:.-]+)(?:\s+--\s+(.*))?$/;
/** Commands of the package managers themselves, never a script name. */
const NOT_SCRIPTS = new Set(['install', 'i', 'ci', 'add', 'exec', 'dlx', 'x', 'init', 'publish', 'pack', 'link', 'why', 'ls', 'list', 'audit', 'outdated', 'update', 'remove', 'uninstall']);
/** npm runs these without `run`; any other script name needs it. */
const NPM_SHORTHANDS = new Set(['test', 't', 'start', 'stop', 'restart']);

/**
 * Fixes what a check runs. A package-manager script (`npm test`, `yarn test`, `npm run X`) is
 * replaced by the script text package.json holds now, with its `pre`/`post` scripts as npm and
 * yarn run them; an agent that later rewrites the script to `exit 0` changes nothing that judges.
 */
export function freezeCheck(workspaceRoot: string, check: CheckCommand): FrozenCheck {
  const origin = check.source ?? 'configuration';
  const script = scriptOf(check.command);
  if (!script) return { name: check.name, command: check.command, run: check.command, source: origin };
  const scripts = packageScripts(workspaceRoot);
  const main = scripts?.[script.name];
  if (typeof main !== 'string') {
    // Nothing to record yet: the build may create the script; it is frozen at the first run that finds it.
    return { name: check.name, command: check.command, run: check.command, source: origin, pending: true };
  }
  const withArgs = script.args ? `${main} ${script.args}` : main;
  const parts = script.prePost
    ? [scripts![`pre${script.name}`], withArgs, scripts![`post${script.name}`]].filter((s): s is string => typeof s === 'string')
    : [withArgs];
  const run = parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' && ');
  const keys = script.prePost ? ['pre', '', 'post'].map((p) => `${p}${script.name}`).filter((k) => typeof scripts![k] === 'string') : [script.name];
  return { name: check.name, command: check.command, run, source: `package.json ${keys.map((k) => `scripts.${k}`).join(', ')} (\`${check.command}\` from ${origin})` };
}

/** The shell text that runs a frozen check: package scripts see the workspace's `node_modules/.bin` first, as under npm. */
export function runnableCommand(workspaceRoot: string, check: FrozenCheck): string {
  if (check.run === check.command) return check.command;
  const bin = path.join(workspaceRoot, 'node_modules', '.bin');
  return `PATH=${shellQuote(bin)}:"$PATH"; export PATH; ${check.run}`;
}

/** The package.json script a command names, if it is a package-manager script run. */
export function scriptOf(command: string): { name: string; args?: string; prePost: boolean } | undefined {
  const m = PACKAGE_SCRIPT.exec(command.trim().replace(/\s+/g, ' '));
  if (!m) return undefined;
  const [, manager, rawName, args] = m;
  const explicitRun = /^\S+\s+run(?:-script)?\s/.test(command.trim());
  if (NOT_SCRIPTS.has(rawName)) return undefined;
  if (manager === 'npm' && !explicitRun && !NPM_SHORTHANDS.has(rawName)) return undefined;
  const name = rawName === 't' && manager === 'npm' ? 'test' : rawName;
  // pnpm runs pre/post scripts only when configured to; npm and yarn (v1) always do.
  return { name, args, prePost: manager !== 'pnpm' };
}

export function packageScripts(workspaceRoot: string): Record<string, unknown> | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
    return pkg && typeof pkg.scripts === 'object' && pkg.scripts ? pkg.scripts : undefined;
  } catch {
    return undefined;
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
