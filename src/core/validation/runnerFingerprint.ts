import fs from 'node:fs';
import path from 'node:path';
import type { FrozenCheck } from '../state/buildState';
import { sha256 } from '../state/blobs';

/** Key prefix of a runner's fingerprint among the judge's configuration. */
export const RUNNER_KEY = 'node_modules/.bin/';

/** Launchers whose next word names the program they run from `node_modules/.bin`. */
const LAUNCHERS = new Set(['npx', 'bunx']);
/** Package managers whose `exec` (or `dlx`) runs a program from `node_modules/.bin`. */
const EXEC_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
/** Bigger runner files are fingerprinted by size alone. */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/**
 * The programs a command starts: the first word of each part split at `&&`, `||`, `;`, `|`, `&`
 * and parentheses, after `VAR=value` assignments, and the word after `npx`, `bunx` or `npm exec`.
 * Only plain names (no `/`) can resolve in `node_modules/.bin`.
 */
export function programsOf(command: string): string[] {
  const names = new Set<string>();
  for (const part of command.split(/&&|\|\||[;|&()\n]/)) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    while (words.length && /^\w+=/.test(words[0])) words.shift();
    if (EXEC_MANAGERS.has(words[0]) && (words[1] === 'exec' || words[1] === 'dlx')) words.splice(0, 2);
    else if (LAUNCHERS.has(words[0])) words.shift();
    while (words.length && words[0].startsWith('-')) words.shift();
    if (words[0] && /^[\w@.+-]+$/.test(words[0]) && words[0] !== '.' && words[0] !== '..') names.add(words[0]);
  }
  return [...names];
}

/**
 * Fingerprints of the programs the checks start that resolve in the workspace's
 * `node_modules/.bin` (where frozen scripts and npx find them first): the file the link leads to,
 * by content, with the name and version of the package holding it. A runner swapped for
 * `exit 0`, or one that appears where none was, differs from what was recorded.
 */
export function fingerprintRunners(workspaceRoot: string, checks: FrozenCheck[]): Record<string, string> {
  const out: Record<string, string> = {};
  const names = [...new Set(checks.flatMap((c) => [...programsOf(c.command), ...programsOf(c.run)]))].sort();
  for (const name of names) {
    const print = runnerPrint(path.join(workspaceRoot, 'node_modules', '.bin', name), workspaceRoot);
    if (print) out[`${RUNNER_KEY}${name}`] = sha256(print);
  }
  return out;
}

/** What identifies one `.bin` entry: its target (relative to the workspace), that file's hash and its package. */
function runnerPrint(bin: string, workspaceRoot: string): string | undefined {
  try {
    fs.lstatSync(bin);
  } catch {
    return undefined;
  }
  try {
    const root = fs.realpathSync(workspaceRoot);
    const target = fs.realpathSync(bin);
    const info = fs.statSync(target);
    const where = path.relative(root, target);
    // A FIFO or device would block or never end a read: its kind is its fingerprint.
    if (!info.isFile()) return `${where}: not a file (mode ${info.mode.toString(8)})`;
    const content = info.size > MAX_HASHED_BYTES ? `${info.size} bytes` : sha256(fs.readFileSync(target));
    return `${where}: ${content}; package ${packageOf(target, path.join(root, 'node_modules')) ?? 'none'}`;
  } catch (err) {
    return `unresolvable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

/** `name@version` of the nearest package.json above a file, below `node_modules`. */
function packageOf(file: string, nodeModules: string): string | undefined {
  for (let dir = path.dirname(file); dir.startsWith(`${nodeModules}${path.sep}`); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      return `${pkg.name}@${pkg.version}`;
    } catch {
      return `unreadable ${manifest}`;
    }
  }
  return undefined;
}
