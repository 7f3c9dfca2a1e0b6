import fs from 'node:fs';
import path from 'node:path';

export type Narrowed = { command: string; runner: string; tests: string[] } | { reason: string };

/** Flags that take the next word as their value, per runner (so it is not read as a file). */
const VALUE_FLAGS: Record<string, Set<string>> = {
  node: new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-timeout', '--env-file', '--conditions', '-C']),
  mocha: new Set(['--require', '-r', '--reporter', '-R', '--timeout', '-t', '--ui', '-u', '--grep', '-g', '--fgrep', '-f', '--extension', '--ignore', '--file', '--config', '--package', '--slow', '-s', '--retries', '--jobs', '-j', '--reporter-option', '-O', '--node-option', '-n']),
  jest: new Set(['--config', '-c', '--testNamePattern', '-t', '--reporters', '--maxWorkers', '-w', '--rootDir', '--selectProjects', '--shard', '--testTimeout']),
  vitest: new Set(['--config', '-c', '--root', '-r', '--dir', '--reporter', '--project', '--testNamePattern', '-t', '--pool', '--shard', '--environment', '--mode']),
};
/** The files `node --test` finds by itself (by name; the extension is checked apart): a narrowed run must not add others. */
const NODE_DEFAULT = /(?:^|\/)(?:test\/.*|[^/]*[.\-_]test|test-[^/]*|test)\.[cm]?[jt]sx?$/;

/**
 * The frozen test command narrowed to some test files, in the runner's own way: `node --test`
 * and mocha get the files as arguments, jest `--findRelatedTests`, vitest `related --run`.
 * A reason instead when that cannot be done safely: more than one command, quoting, an unknown
 * runner, file arguments of its own that are not folders or files, a mocha config file.
 */
export function narrowTestCommand(run: string, workspaceRoot: string, selection: { tests: string[]; changed: string[] }): Narrowed {
  const text = run.trim();
  if (/[;&|()<>`$\n\\]/.test(text)) return { reason: `the test command \`${run}\` is more than one plain command` };
  if (/['"]/.test(text)) return { reason: `the test command \`${run}\` has quoted arguments` };
  const words = text.split(/\s+/);
  let at = 0;
  while (at < words.length && /^\w+=/.test(words[at])) at++;
  if (words[at] === 'npx' || words[at] === 'bunx') at++;
  const program = path.basename(words[at] ?? '');
  const head = words.slice(0, at + 1);
  const rest = words.slice(at + 1);

  if ((program === 'node' || program === 'tsx') && rest.includes('--test')) {
    const typescript = program === 'tsx' || /\b(tsx|ts-node|strip-types)\b/.test(text);
    const { flags, files } = splitArgs(rest, VALUE_FLAGS.node);
    const within = filesWithin(files, workspaceRoot, selection.tests);
    if ('reason' in within) return within;
    const runnable = within.tests.filter((t) => (typescript ? /\.[cm]?[jt]sx?$/ : /\.[cm]?js$/).test(t) && (files.length > 0 || NODE_DEFAULT.test(t)));
    return withFiles('node --test', [...head, ...flags], runnable);
  }
  if (program === 'mocha' || program === '_mocha') {
    const config = mochaConfig(workspaceRoot);
    if (config) return { reason: `mocha reads ${config}, and mocha runs the spec files a config lists besides any named on the command line` };
    const { flags, files } = splitArgs(rest, VALUE_FLAGS.mocha);
    if (flags.includes('--spec')) return { reason: `the test command \`${run}\` names its files with --spec` };
    const within = filesWithin(files, workspaceRoot, selection.tests);
    if ('reason' in within) return within;
    const extensions = ['js', 'cjs', 'mjs', ...flags.flatMap((f, i) => (f === '--extension' ? [flags[i + 1]] : f.startsWith('--extension=') ? [f.slice(12)] : []))];
    const recursive = flags.includes('--recursive');
    const runnable = within.tests.filter((t) => extensions.some((e) => t.endsWith(`.${e}`)) && (files.length > 0 || (recursive ? t.startsWith('test/') : /^test\/[^/]+$/.test(t))));
    return withFiles('mocha', [...head, ...flags], runnable);
  }
  if (program === 'jest') {
    const { flags, files } = splitArgs(rest, VALUE_FLAGS.jest);
    if (files.length) return { reason: `the test command \`${run}\` names test paths of its own` };
    return withFiles('jest --findRelatedTests', [...head, ...flags, '--findRelatedTests'], unique([...selection.changed, ...selection.tests]));
  }
  if (program === 'vitest') {
    const sub = rest[0] === 'run' ? rest.slice(1) : rest;
    const { flags, files } = splitArgs(sub, VALUE_FLAGS.vitest);
    if (files.length) return { reason: `the test command \`${run}\` names test paths or a mode of its own` };
    return withFiles('vitest related', [...head, 'related', '--run', ...flags.filter((f) => f !== '--run')], unique([...selection.changed, ...selection.tests]));
  }
  return { reason: `\`${program || run}\` is not a test runner Munero can narrow (node --test, mocha, jest, vitest)` };
}

function withFiles(runner: string, words: string[], files: string[]): Narrowed {
  if (!files.length) return { reason: `none of the selected test files is one that ${runner} runs` };
  if (files.some((f) => !/^[\w@+,.=/-]+$/.test(f) || f.startsWith('-'))) return { reason: `a selected file name needs shell quoting (${files.find((f) => !/^[\w@+,.=/-]+$/.test(f) || f.startsWith('-'))})` };
  return { command: [...words, ...files].join(' '), runner, tests: files };
}

function splitArgs(words: string[], valueFlags: Set<string>): { flags: string[]; files: string[] } {
  const flags: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      flags.push(w);
      if (!w.includes('=') && valueFlags.has(w) && i + 1 < words.length) flags.push(words[++i]);
    } else {
      files.push(w);
    }
  }
  return { flags, files };
}

/** Selected tests inside the folders or files the command names (all of them when it names none). */
function filesWithin(args: string[], workspaceRoot: string, tests: string[]): { tests: string[] } | { reason: string } {
  if (!args.length) return { tests };
  const roots: string[] = [];
  for (const arg of args) {
    const rel = path.relative(workspaceRoot, path.resolve(workspaceRoot, arg)).split(path.sep).join('/');
    if (rel.startsWith('..') || !fs.existsSync(path.join(workspaceRoot, rel))) return { reason: `the test command's argument \`${arg}\` is not a folder or file in the workspace (a pattern?)` };
    roots.push(rel);
  }
  return { tests: tests.filter((t) => roots.some((r) => r === '' || t === r || t.startsWith(`${r}/`))) };
}

function mochaConfig(workspaceRoot: string): string | undefined {
  const names = fs.readdirSync(workspaceRoot).filter((n) => /^\.mocharc(\.(c?js|mjs|json|jsonc|ya?ml))?$/.test(n));
  if (names.length) return names[0];
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
    return pkg && typeof pkg === 'object' && 'mocha' in pkg ? 'package.json "mocha"' : undefined;
  } catch {
    return undefined;
  }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}
