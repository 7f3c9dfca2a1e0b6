// search_files against ripgrep's own time, list_files and read_file against folder and file size,
// and a catastrophic pattern, on a large corpus built from what is on disk (no network).
// Writes the "## Search and workspace tools (issue 7)" section of docs/benchmarks.md.
//   node --import tsx scripts/bench-search.ts [--copies N]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeTool } from '../src/core/tools/executeTool';
import { findRipgrep } from '../src/core/tools/ripgrep';
import { DEFAULT_TOOL_LIMITS, type ToolContext } from '../src/core/tools/types';
import { writeSection } from './benchmarksPage.mjs';

const HEADING = '## Search and workspace tools (issue 7)';
const COPIES = Number(process.argv[process.argv.indexOf('--copies') + 1]) || 2;
const RUNS = 3;
const PATTERNS: Array<{ pattern: string; case_insensitive?: boolean }> = [
  { pattern: 'function' },
  { pattern: 'zzz_no_such_text_zzz' },
  { pattern: 'import .* from' },
  { pattern: 'TODO|FIXME' },
  { pattern: 'error', case_insensitive: true },
  { pattern: '(a+)+$' },
  { pattern: '(\\w+\\s*)+=' },
];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function context(root: string, overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    workspaceRoot: root,
    changes: { propose: async () => ({ changeId: '', status: 'rejected' }), pendingContent: () => undefined, noteRead: () => undefined },
    policy: { allow: [] },
    limits: { ...DEFAULT_TOOL_LIMITS },
    ...overrides,
  } as ToolContext;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

/** Longest gap between 5 ms ticks while `run` runs: how long the event loop was blocked. */
async function withLoopLag<T>(run: () => Promise<T>): Promise<{ value: T; lagMs: number }> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    return { value: await run(), lagMs: worst };
  } finally {
    clearInterval(ticker);
  }
}

function buildCorpus(): { root: string; files: number; bytes: number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-search-'));
  // Copies of this repository's node_modules under names that are not skipped, so every file counts.
  for (let i = 0; i < COPIES; i++) execFileSync('cp', ['-r', path.resolve('node_modules'), path.join(root, `copy${i}`)]);
  const listing = execFileSync('rg', ['--files', '--hidden', '--no-ignore', '-g', '!node_modules', root], { maxBuffer: 1 << 28 }).toString();
  const paths = listing.split('\n').filter(Boolean);
  let bytes = 0;
  for (const p of paths) bytes += fs.statSync(p).size;
  return { root, files: paths.length, bytes };
}

/** ripgrep alone, with the same file selection search_files makes, writing to /dev/null. */
function ripgrepAlone(rg: string, root: string, p: (typeof PATTERNS)[number]): Promise<number> {
  const args = ['--no-config', '--hidden', '--no-require-git', '-n', '-g', '!.git', '-g', '!.munero', '-g', '!node_modules'];
  if (p.case_insensitive) args.push('-i');
  const devNull = fs.openSync('/dev/null', 'w');
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(rg, [...args, '-e', p.pattern, '.'], { cwd: root, stdio: ['ignore', devNull, 'ignore'] });
    child.on('close', () => {
      fs.closeSync(devNull);
      resolve(performance.now() - start);
    });
  });
}

function countsOf(rg: string, root: string, p: (typeof PATTERNS)[number]): { files: number; matches: number } {
  const args = ['--no-config', '--hidden', '--no-require-git', '-c', '-g', '!.git', '-g', '!.munero', '-g', '!node_modules'];
  if (p.case_insensitive) args.push('-i');
  let out = '';
  try {
    out = execFileSync(rg, [...args, '-e', p.pattern, '.'], { cwd: root, maxBuffer: 1 << 28 }).toString();
  } catch {
    // exit code 1: no matches
  }
  const lines = out.split('\n').filter(Boolean);
  return { files: lines.length, matches: lines.reduce((n, l) => n + Number(l.slice(l.lastIndexOf(':') + 1)), 0) };
}

async function searchSection(rg: string, corpus: { root: string; files: number; bytes: number }) {
  const rows: string[] = [];
  let worstLag = 0;
  for (const p of PATTERNS) {
    const rgTimes: number[] = [];
    const toolTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      rgTimes.push(await ripgrepAlone(rg, corpus.root, p));
      const { value, lagMs } = await withLoopLag(() => timed(() => executeTool('search_files', p, context(corpus.root))));
      if (!value.value.ok) throw new Error(value.value.error);
      toolTimes.push(value.ms);
      worstLag = Math.max(worstLag, lagMs);
    }
    const { files, matches } = countsOf(rg, corpus.root, p);
    const [r, t] = [median(rgTimes), median(toolTimes)];
    const shown = `\`${p.pattern.replace(/\|/g, '\\|')}\`${p.case_insensitive ? ' (-i)' : ''}`;
    rows.push(`| ${shown} | ${ms(r)} | ${ms(t)} | ${(t / r).toFixed(2)}× | ${files} | ${matches} |`);
    console.log(rows.at(-1));
  }
  return { rows, worstLag };
}

async function fallbackCatastrophic(root: string): Promise<{ ms: number; lagMs: number; message: string }> {
  const ctx = context(root, { ripgrepPath: false });
  const { value, lagMs } = await withLoopLag(() => timed(() => executeTool('search_files', { pattern: '(a+)+$', path: 'copy0' }, ctx)));
  const message = value.value.ok ? value.value.content.split('\n').at(-1)! : value.value.error;
  return { ms: value.ms, lagMs, message };
}

async function listSection(): Promise<string[]> {
  const rows: string[] = [];
  for (const entries of [1_000, 10_000, 50_000, 200_000]) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-list-'));
    const dir = path.join(root, 'big');
    fs.mkdirSync(dir);
    for (let i = 0; i < entries; i++) fs.writeFileSync(path.join(dir, `file-${i}.txt`), '');
    const rssBefore = process.memoryUsage().rss;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await timed(() => executeTool('list_files', {}, context(root)))).ms);
    const grown = process.memoryUsage().rss - rssBefore;
    rows.push(`| ${entries.toLocaleString('en')} | ${ms(median(times))} | ${mb(Math.max(0, grown))} |`);
    console.log(rows.at(-1));
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

async function readSection(): Promise<string[]> {
  const rows: string[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-read-'));
  const line = (i: number) => `line ${i} ${'x'.repeat(90)}\n`;
  for (const [name, size] of [['1 MB', 1 << 20], ['100 MB', 100 << 20]] as const) {
    const file = path.join(root, `${name.replace(' ', '')}.log`);
    const fd = fs.openSync(file, 'w');
    let written = 0;
    let lines = 0;
    while (written < size) {
      const chunk = Array.from({ length: 1000 }, (_, i) => line(lines + i + 1)).join('');
      fs.writeSync(fd, chunk);
      written += chunk.length;
      lines += 1000;
    }
    fs.closeSync(fd);
    const ctx = context(root);
    const rel = path.basename(file);
    for (const [what, start] of [['start', 10], ['middle', Math.floor(lines / 2)], ['end', lines - 60]] as const) {
      const first = await timed(() => executeTool('read_file', { path: rel, start_line: start, end_line: start + 50 }, ctx));
      const again = await timed(() => executeTool('read_file', { path: rel, start_line: start + 1, end_line: start + 51 }, ctx));
      if (!first.value.ok) throw new Error(first.value.error);
      rows.push(`| ${name} (${lines.toLocaleString('en')} lines) | ${what}: lines ${start}-${start + 50} | ${ms(first.ms)} | ${ms(again.ms)} |`);
      console.log(rows.at(-1));
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
  return rows;
}

async function main() {
  const rg = await findRipgrep(undefined);
  if (!rg) throw new Error('ripgrep (rg) is needed on PATH for the comparison.');
  const rgVersion = execFileSync(rg, ['--version']).toString().split('\n')[0];
  console.log('building the corpus…');
  const corpus = buildCorpus();
  try {
    console.log(`${corpus.files} files, ${mb(corpus.bytes)}`);
    await executeTool('search_files', { pattern: 'warm up the page cache' }, context(corpus.root));
    const search = await searchSection(rg, corpus);
    const catastrophic = await fallbackCatastrophic(corpus.root);
    console.log(catastrophic);
    const list = await listSection();
    const read = await readSection();
    const when = new Date().toISOString().slice(0, 10);
    const load = os.loadavg()[0]!.toFixed(1);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} (1-minute load average ${load} at the end: other work shared the cores, so single figures are noisy), Node ${process.version}, ${rgVersion}`;
    const section = [
      HEADING,
      '',
      `Measured ${when} on ${machine} with \`npm run bench:search\` (\`node --import tsx scripts/bench-search.ts --copies ${COPIES}\`).`,
      '',
      `**search_files against ripgrep alone.** Corpus: ${COPIES} copies of this repository's \`node_modules\` (no network here), ` +
        `${corpus.files.toLocaleString('en')} files, ${mb(corpus.bytes)}, page cache warm. ripgrep alone: the same file selection ` +
        '(`--hidden --no-require-git -g !.git -g !.munero -g !node_modules -n`), output to /dev/null. search_files: the whole tool call ' +
        `through \`executeTool\` (validation, ripgrep, streaming parse, budgeted answer). Median of ${RUNS} runs. Goal: within 1.2×.`,
      '',
      '| pattern | ripgrep alone | search_files | ratio | files with matches | matching lines |',
      '| --- | --- | --- | --- | --- | --- |',
      ...search.rows,
      '',
      `Longest event-loop stall during all the search_files calls above (5 ms ticker): **${ms(search.worstLag)}**.`,
      '',
      `**Catastrophic pattern without ripgrep** (\`(a+)+$\` over copy0, the JavaScript search in a worker thread, default limits): answered in ` +
        `**${ms(catastrophic.ms)}**, longest event-loop stall ${ms(catastrophic.lagMs)}. Answer: "${catastrophic.message.slice(0, 220)}…"`,
      '',
      `**list_files on one folder of N entries** (cap ${DEFAULT_TOOL_LIMITS.maxListEntries}; the folder is streamed and reading stops at the cap). Goal: flat. RSS growth is the process's resident size after minus before the ${RUNS} calls.`,
      '',
      '| entries in the folder | list_files (median) | RSS growth |',
      '| --- | --- | --- |',
      ...list,
      '',
      '**read_file ranges of 51 lines** (files over the 1 MB read limit are never loaded whole; the second read of a nearby range seeks from a remembered checkpoint). Goal: flat in file size for ranges near the start, and repeat reads flat anywhere.',
      '',
      '| file | range | first read | next read nearby |',
      '| --- | --- | --- | --- |',
      ...read,
      '',
      `Peak RSS of the whole benchmark process: **${mb(process.resourceUsage().maxRSS * 1024)}**.`,
      '',
    ].join('\n');
    console.log(section);
    writeSection('docs/benchmarks.md', HEADING, section);
  } finally {
    fs.rmSync(corpus.root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
