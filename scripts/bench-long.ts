// npm run bench:long — a long build through the shipped CLI (issue 11): N requirements, one task
// each, whose coder takes T turns (list, write, read, search, edit, a command, task_complete)
// against `munero serve-script` answering every turn after a delay. Every few hundred turns it
// samples the engine's memory, the size of the event log and the transcripts (bytes per turn
// stays flat when they grow linearly) and times `munero status` and `status --json`. Writes the
// "## Long builds (issue 11)" section of docs/benchmarks.md. A benchmark: it judges nothing.
//
//   node --import tsx scripts/bench-long.ts [--tasks 200] [--turns-per-task 25] [--latency-ms 50]
//     [--parallel 4] [--samples 20] [--no-write] [--keep]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildManager } from '../src/core';
import { printStatus } from '../src/cli/reports';
import { privateCli } from '../test/unit/engine/cliRun';
import { longBuildArgs, rssOf, TurnCounter, writeLongBuild } from './longSession';
import { writeSection } from './benchmarksPage.mjs';

const HEADING = '## Long builds (issue 11)';
const repoRoot = path.resolve(__dirname, '..');
const BUNDLE = path.join(repoRoot, 'dist', 'cli.js');
/** A private copy of the bundle (set in main): a rebuild of dist/ during the run cannot swap files under it. */
let CLI = BUNDLE;
const SAMPLER = path.join(repoRoot, 'scripts', 'memorySampler.cjs');

const args = longBuildArgs();
const { tasks: TASKS, turnsPerTask: TURNS_PER_TASK, turnLatencyMs: LATENCY_MS, parallel: PARALLEL } = args.build;
const SAMPLES = args.samples;

/** Starts `munero serve-script` and resolves with its URL once it listens. */
function serveScript(scriptFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve-script', scriptFile, '--latency-ms', String(LATENCY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`munero serve-script printed no "listening on" within 30 s (stdout: ${out})`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`munero serve-script exited with ${code} before listening: ${out}`)));
  });
}

interface Sample {
  turns: number;
  elapsedS: number;
  rssBytes: number;
  heapBytes?: number;
  eventLogBytes: number;
  transcriptBytes: number;
  statusMs: number;
  statusJsonMs: number;
  /** The same commands' own work, without Node's start: printStatus in this process. */
  statusWorkMs: number;
  statusJsonWorkMs: number;
}

const fileBytes = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
const folderBytes = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).reduce((n, f) => n + fileBytes(path.join(dir, f)), 0) : 0);

function lastHeap(memoryFile: string): number | undefined {
  const lines = fs.existsSync(memoryFile) ? fs.readFileSync(memoryFile, 'utf8').trim().split('\n') : [];
  return lines.length && lines.at(-1) ? (JSON.parse(lines.at(-1)!) as { heapUsed: number }).heapUsed : undefined;
}

/** Wall time of one CLI command in the workspace (a fresh Node process, as a user runs it). */
function timeCli(ws: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ws, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`munero ${args.join(' ')} exited with ${r.status}: ${r.stderr || r.stdout}`);
  return ms;
}

/** What `munero status` does once Node has started: a manager on the workspace and its report, output discarded. */
function timeStatusWork(ws: string, json: boolean): number {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    const t = performance.now();
    printStatus(new BuildManager({ workspaceRoot: ws }), json);
    return performance.now() - t;
  } finally {
    process.stdout.write = write;
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`node esbuild.js\` first`);
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-long-')));
  const scriptFile = path.join(ws, '..', `${path.basename(ws)}-session.json`);
  const cliDir = path.join(ws, '..', `${path.basename(ws)}-cli`);
  CLI = privateCli(cliDir);
  const totalTurns = writeLongBuild({ ...args.build, turnLatencyMs: 0 }, ws, 'SPEC.md', scriptFile);
  const every = Math.max(1, Math.floor(totalTurns / SAMPLES));
  console.log(`[bench:long] ${TASKS} tasks × ${TURNS_PER_TASK} coder turns + 1 planner turn = ${totalTurns} turns, ${LATENCY_MS} ms latency, --parallel ${PARALLEL}; a sample every ${every} turns; workspace ${ws}`);

  const startupMs = Math.min(...[0, 1, 2].map(() => timeCli(ws, ['--version'])));
  const server = await serveScript(scriptFile);
  const memoryFile = path.join(ws, '..', `${path.basename(ws)}-memory.jsonl`);
  const started = performance.now();
  const engine = spawn(process.execPath, ['--require', SAMPLER, CLI, 'build', 'SPEC.md'], {
    cwd: ws,
    env: { ...process.env, ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: server.url, MUNERO_BENCH_MEMORY_FILE: memoryFile },
    stdio: ['ignore', fs.openSync(path.join(ws, '..', `${path.basename(ws)}-build.log`), 'w'), 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => engine.on('exit', resolve));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));

  let buildDir: string | undefined;
  let counter: TurnCounter | undefined;
  const samples: Sample[] = [];
  let next = every;
  let peakRss = 0;
  while (exitCode === undefined) {
    await new Promise((r) => setTimeout(r, 250));
    if (exitCode !== undefined) break;
    peakRss = Math.max(peakRss, rssOf(engine.pid!));
    if (!buildDir) {
      const builds = path.join(ws, '.munero', 'builds');
      const id = fs.existsSync(builds) ? fs.readdirSync(builds)[0] : undefined;
      if (!id) continue;
      buildDir = path.join(builds, id);
      counter = new TurnCounter(path.join(buildDir, 'events.jsonl'));
    }
    const turns = counter!.read();
    if (turns < next) continue;
    next = (Math.floor(turns / every) + 1) * every;
    const s: Sample = {
      turns,
      elapsedS: (performance.now() - started) / 1000,
      rssBytes: rssOf(engine.pid!),
      heapBytes: lastHeap(memoryFile),
      eventLogBytes: fileBytes(path.join(buildDir, 'events.jsonl')),
      transcriptBytes: folderBytes(path.join(buildDir, 'transcripts')),
      statusMs: timeCli(ws, ['status']),
      statusJsonMs: timeCli(ws, ['status', '--json']),
      statusWorkMs: timeStatusWork(ws, false),
      statusJsonWorkMs: timeStatusWork(ws, true),
    };
    samples.push(s);
    console.log(`[bench:long] ${row(s)}`);
  }
  const wallS = (performance.now() - started) / 1000;
  server.child.kill('SIGTERM');
  const finalStatus = JSON.parse(spawnSync(process.execPath, [CLI, 'status', '--json'], { cwd: ws, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout) as { status?: string; usage?: { requests?: number } };
  const turns = counter?.read() ?? 0;
  const heaps = fs.existsSync(memoryFile) ? fs.readFileSync(memoryFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { rss: number; heapUsed: number }) : [];
  const result = {
    exitCode,
    outcome: finalStatus.status ?? '?',
    turns,
    wallS,
    startupMs,
    peakRss: Math.max(peakRss, ...heaps.map((h) => h.rss)),
    peakHeap: Math.max(0, ...heaps.map((h) => h.heapUsed)),
    eventLogBytes: buildDir ? fileBytes(path.join(buildDir, 'events.jsonl')) : 0,
    transcriptBytes: buildDir ? folderBytes(path.join(buildDir, 'transcripts')) : 0,
  };
  const section = render(samples, result);
  console.log(`\n${section}`);
  if (args.write) writeSection(path.join(repoRoot, 'docs', 'benchmarks.md'), HEADING, section);
  if (!args.keep) for (const f of [ws, cliDir, scriptFile, memoryFile, path.join(ws, '..', `${path.basename(ws)}-build.log`)]) fs.rmSync(f, { recursive: true, force: true });
  else console.log(`[bench:long] kept ${ws}`);
}

const mb = (n: number | undefined) => (n === undefined ? '–' : `${(n / 1024 / 1024).toFixed(1)} MB`);
const perTurn = (bytes: number, turns: number) => (turns ? `${Math.round(bytes / turns).toLocaleString('en-US')} B` : '–');

function row(s: Sample): string {
  return `| ${s.turns} | ${s.elapsedS.toFixed(0)} s | ${mb(s.rssBytes)} | ${mb(s.heapBytes)} | ${mb(s.eventLogBytes)} | ${perTurn(s.eventLogBytes, s.turns)} | ${mb(s.transcriptBytes)} | ${perTurn(s.transcriptBytes, s.turns)} | ${s.statusMs.toFixed(0)} ms (${s.statusWorkMs.toFixed(0)} ms) | ${s.statusJsonMs.toFixed(0)} ms (${s.statusJsonWorkMs.toFixed(0)} ms) |`;
}

function render(samples: Sample[], r: { exitCode: number | null | undefined; outcome: string; turns: number; wallS: number; startupMs: number; peakRss: number; peakHeap: number; eventLogBytes: number; transcriptBytes: number }): string {
  const flags = `--tasks ${TASKS} --turns-per-task ${TURNS_PER_TASK} --latency-ms ${LATENCY_MS} --parallel ${PARALLEL}`;
  const worst = (f: (s: Sample) => number) => (samples.length ? Math.max(...samples.map(f)) : NaN);
  return [
    HEADING,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}, with \`nice npm run bench:long -- ${flags}\` (load average ${os.loadavg()[0].toFixed(1)} at the end: the machine is shared, so times are high and vary).`,
    '',
    `${TASKS} independent requirements, one task each; the coder of each task takes ${TURNS_PER_TASK} turns (list the files, write the module and its test, then reads, searches and edits in turn, one \`node --test\` run, \`task_complete\`), so the build makes ${TASKS * TURNS_PER_TASK + 1} model requests; \`munero serve-script --latency-ms ${LATENCY_MS}\` answers each, \`munero build\` runs the build (\`--parallel ${PARALLEL}\`, the OS sandbox on). Every ${Math.max(1, Math.floor((TASKS * TURNS_PER_TASK + 1) / SAMPLES))} turns (counted as the event log's \`usage\` events) the benchmark reads the engine's RSS from /proc and its heap (\`process.memoryUsage()\` written each second by scripts/memorySampler.cjs, preloaded), the sizes of events.jsonl and transcripts/, and times \`munero status\` and \`munero status --json\`, each a fresh \`node dist/cli.js\` in the workspace as a user runs them, and in brackets the command's own work once Node has started (its \`printStatus\` called in the benchmark's process); Node's start with the bundle, \`munero --version\`, takes ${r.startupMs.toFixed(0)} ms here.`,
    '',
    '| turns | elapsed | engine RSS | engine heap | events.jsonl | per turn | transcripts | per turn | `status` | `status --json` |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...samples.map(row),
    '',
    `Outcome: ${r.outcome} (exit ${r.exitCode}), ${r.turns} turns in ${r.wallS.toFixed(0)} s. Engine peak RSS ${mb(r.peakRss)}, peak heap ${mb(r.peakHeap)}; at the end events.jsonl ${mb(r.eventLogBytes)} (${perTurn(r.eventLogBytes, r.turns)} per turn), transcripts ${mb(r.transcriptBytes)} (${perTurn(r.transcriptBytes, r.turns)} per turn). Slowest \`status\` ${worst((s) => s.statusMs).toFixed(0)} ms (its own work ${worst((s) => s.statusWorkMs).toFixed(0)} ms), \`status --json\` ${worst((s) => s.statusJsonMs).toFixed(0)} ms (its own work ${worst((s) => s.statusJsonWorkMs).toFixed(0)} ms); goal: under 200 ms.`,
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(`[bench:long] ${(err as Error).stack ?? err}`);
  process.exit(1);
});
