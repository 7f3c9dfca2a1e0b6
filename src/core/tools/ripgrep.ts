import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toRustPattern } from './rustPattern';
import type { SearchRequest } from './searchRequest';
import type { HitLine, SearchResults } from './searchResults';
import { ToolError } from './toolError';

/** Matching lines are shown up to this many characters (minified files have enormous lines). */
export const MAX_LINE_CHARS = 300;
/** Where a long line's window starts, before its first match. */
const LEAD_CHARS = 100;
/** Matching lines decoded per file; the rest are only counted (the budget could not show them). */
export const MAX_LINES_PER_FILE = 1000;
const STDERR_CHARS = 4000;

let onPath: { PATH: string; rg: string | undefined } | undefined;

/**
 * The ripgrep to run: the configured one (VS Code's bundled rg) when it exists, else `rg` on
 * PATH; undefined when there is none, or when `configured` is false.
 */
export async function findRipgrep(configured: string | false | undefined): Promise<string | undefined> {
  if (configured === false) return undefined;
  if (configured && (await isExecutable(configured))) return configured;
  const PATH = process.env.PATH ?? '';
  if (onPath?.PATH === PATH) return onPath.rg;
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  let rg: string | undefined;
  for (const dir of PATH.split(path.delimiter).filter(Boolean)) {
    if (await isExecutable(path.join(dir, name))) {
      rg = path.join(dir, name);
      break;
    }
  }
  onPath = { PATH, rg };
  return rg;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file, fs.constants.X_OK);
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

export function ripgrepArgs(req: SearchRequest, extraFiles: string[]): string[] {
  const args = ['--no-config', '--null', '--with-filename', '--no-heading', '--color', 'never'];
  // Dot-files are searched (.github/, .eslintrc); .gitignore is honoured even outside a git repository.
  args.push('--hidden', '--no-require-git', '--engine', 'auto');
  if (req.mode === 'files_with_matches') args.push('--files-with-matches');
  else if (req.mode === 'count') args.push('--count');
  else args.push('--line-number', '--column');
  if (req.mode === 'content' && req.context > 0) args.push('--context', String(req.context));
  if (req.caseInsensitive) args.push('--ignore-case');
  if (req.type) args.push('--type', req.type);
  if (req.glob) args.push('--glob', req.glob);
  // Later globs win, so these exclusions hold whatever the model's glob includes.
  args.push('--glob', '!.git', '--glob', '!.munero');
  if (!req.insideNodeModules) args.push('--glob', '!node_modules');
  args.push('--regexp', toRustPattern(req.pattern), '--', req.rel, ...extraFiles);
  return args;
}

export interface RipgrepRun {
  cwd: string;
  /** Files whose results come from elsewhere (the agent's pending content): left out here. */
  skip: (rel: string) => boolean;
  deadlineAt: number;
  signal?: AbortSignal;
}

/** Ripgrep could not compile the pattern (e.g. it needs PCRE2, which this rg lacks). */
export class PatternNotSupported extends Error {}

/**
 * Runs ripgrep, streaming its output into `results` as it arrives; kills it on abort or at the
 * deadline (the results then say the search stopped).
 *
 * For matching lines, the search is stopped as soon as the answer can take no more lines, and a
 * second pass with `--count` (one short line per file, no line text through the pipe) counts every
 * file, so the answer still says exactly what it leaves out. Draining and splitting the first
 * pass's whole output instead costs more than searching everything again.
 */
export async function runRipgrep(rg: string, req: SearchRequest, extraFiles: string[], results: SearchResults, run: RipgrepRun): Promise<void> {
  const full = await runPass(rg, ripgrepArgs(req, extraFiles), outputParser(req, results, run.skip), results, run);
  if (!full) return;
  const counting: SearchRequest = { ...req, mode: 'count' };
  await runPass(rg, ripgrepArgs(counting, extraFiles), outputParser(counting, results, run.skip), results, run, () => {
    results.totalsAtLeast();
    return `Counting what the answer leaves out reached the search's time limit, so the totals are lower bounds. ${NARROW}`;
  });
}

/**
 * One ripgrep process. Resolves true when `parser` said the answer was full and the process was
 * stopped for that (its output, and its errors, are then incomplete).
 */
function runPass(
  rg: string,
  args: string[],
  parser: OutputParser,
  results: SearchResults,
  run: RipgrepRun,
  timeoutNote?: () => string,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) return reject(new ToolError('Cancelled.'));
    const startedAt = Date.now();
    // ripgrep needs no environment; giving it none keeps secrets out of another process.
    const child = spawn(rg, args, { cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: minimalEnv() });
    let stderr = '';
    let ended: 'cancelled' | 'timeout' | 'full' | undefined;
    const stop = (why: 'cancelled' | 'timeout' | 'full') => {
      ended ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), Math.max(0, run.deadlineAt - Date.now()));
    const onAbort = () => stop('cancelled');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (ended) return;
      parser.push(chunk);
      if (parser.full) stop('full');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => finish(() => reject(new ToolError(`ripgrep (${rg}) could not start: ${err.message}`))));
    child.on('close', (code) =>
      finish(() => {
        if (ended === 'cancelled') return reject(new ToolError('Cancelled.'));
        if (ended === 'full') return resolve(true);
        parser.end();
        if (ended === 'timeout') {
          results.stop(
            timeoutNote?.() ??
              `The search stopped at its time limit (${Math.round((run.deadlineAt - startedAt) / 1000)} s): files not yet searched are missing. ${NARROW}`,
          );
          return resolve(false);
        }
        if (code === 2) return settleErrors(stderr, results, () => resolve(false), reject);
        resolve(false);
      }),
    );
    let finished = false;
    function finish(then: () => void) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      then();
    }
  });
}

const NARROW = 'Narrow it with a path, a glob or a type.';

/** Exit code 2: a pattern ripgrep cannot compile, or a bad type, fails the call; unreadable files are named. */
function settleErrors(stderr: string, results: SearchResults, resolve: () => void, reject: (e: Error) => void): void {
  if (/regex parse error|PCRE2 is not available|look-around|backreferences/i.test(stderr)) {
    return reject(new PatternNotSupported(stderr.trim()));
  }
  const fileErrors = stderr.split('\n').map((line) => /^(?:rg: )?(.+?): (.*\(os error \d+\).*)$/.exec(line.trim()));
  if (fileErrors.some((m) => m)) {
    for (const m of fileErrors) if (m) results.skip(m[1]!.replace(/^\.\//, ''), m[2]!);
    return resolve();
  }
  const message = stderr.trim().replace(/^rg: /, '');
  if (/unrecognized file type/i.test(stderr)) return reject(new ToolError(`${message}. Use a type ripgrep knows (rg --type-list) or a glob.`));
  reject(new ToolError(`ripgrep failed: ${message}`));
}

function minimalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Windows cannot start a process without these.
  for (const name of ['SystemRoot', 'windir']) if (process.env[name]) env[name] = process.env[name];
  return env;
}

interface OutputParser {
  push(chunk: Buffer): void;
  end(): void;
  /** The answer can take no more lines: the rest of this output is not wanted. */
  readonly full?: boolean;
}

function outputParser(req: SearchRequest, results: SearchResults, skip: (rel: string) => boolean): OutputParser {
  // Files mode prints `path\0` records; the others print `path\0...\n` lines.
  if (req.mode === 'files_with_matches') {
    return recordSplitter(0, (record) => addUnlessSkipped(record.toString('utf8'), [], 1));
  }
  if (req.mode === 'count') {
    return recordSplitter(10, (line) => {
      const nul = line.indexOf(0);
      if (nul !== -1) addUnlessSkipped(line.toString('utf8', 0, nul), [], Number(line.toString('latin1', nul + 1)));
    });
  }
  let file: Buffer | undefined;
  let lines: HitLine[] = [];
  let matches = 0;
  let full = false;
  const flush = () => {
    if (file) addUnlessSkipped(file.toString('utf8'), lines, matches);
    file = undefined;
    lines = [];
    matches = 0;
  };
  const parser = recordSplitter(10, (line) => {
    if (full) return;
    const nul = line.indexOf(0);
    if (nul === -1) return; // `--` between context groups, or a note such as "binary file matches"
    if (!file || !line.subarray(0, nul).equals(file)) {
      // ripgrep prints each file's lines together, so the file before is complete.
      flush();
      if (!results.wantsLines) {
        full = true;
        return;
      }
      file = Buffer.from(line.subarray(0, nul));
    }
    // `N:col:text` for a match, `N-text` for context.
    let i = nul + 1;
    let lineNumber = 0;
    while (i < line.length && line[i]! >= 48 && line[i]! <= 57) lineNumber = lineNumber * 10 + line[i++]! - 48;
    const isMatch = line[i] === 58;
    if (isMatch) matches += 1;
    if (matches > MAX_LINES_PER_FILE) return;
    let column = 1;
    if (isMatch) {
      column = 0;
      for (i += 1; i < line.length && line[i]! >= 48 && line[i]! <= 57; i++) column = column * 10 + line[i]! - 48;
    }
    lines.push([lineNumber, shownText(line.subarray(i + 1), column - 1), isMatch]);
  });
  return {
    push: (chunk) => parser.push(chunk),
    end() {
      parser.end();
      flush();
    },
    get full() {
      return full;
    },
  };

  function addUnlessSkipped(rel: string, hitLines: HitLine[], count: number) {
    const clean = rel.startsWith('./') ? rel.slice(2) : rel;
    if (!skip(clean)) results.addFile(clean, hitLines, count);
  }
}

/** Splits a byte stream on `separator`, handing over each record without it. */
function recordSplitter(separator: number, onRecord: (record: Buffer) => void): OutputParser {
  let rest: Buffer | undefined;
  return {
    push(chunk) {
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      let from = 0;
      for (let at = data.indexOf(separator); at !== -1; at = data.indexOf(separator, from)) {
        onRecord(data.subarray(from, at));
        from = at + 1;
      }
      rest = from < data.length ? Buffer.from(data.subarray(from)) : undefined;
    },
    end() {
      if (rest && rest.length > 0) onRecord(rest);
      rest = undefined;
    },
  };
}

/**
 * A line's text for display: whole when short, else a window of MAX_LINE_CHARS starting a little
 * before the first match (`matchByte`), cut on character boundaries. Long lines are never
 * decoded whole.
 */
export function shownText(bytes: Buffer, matchByte: number): string {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 13) end -= 1;
  // UTF-8 takes up to 4 bytes per character, so 4× the characters always covers the window.
  if (end <= MAX_LINE_CHARS) return bytes.toString('utf8', 0, end);
  let start = Math.max(0, Math.min(matchByte - LEAD_CHARS, end - MAX_LINE_CHARS));
  while (start > 0 && (bytes[start]! & 0xc0) === 0x80) start -= 1;
  const text = bytes.toString('utf8', start, Math.min(end, start + 4 * MAX_LINE_CHARS)).slice(0, MAX_LINE_CHARS);
  const before = start > 0 ? '…' : '';
  const after = start + Buffer.byteLength(text) < end ? '…' : '';
  return `${before}${text}${after}`;
}
