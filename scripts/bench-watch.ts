// npm run bench:watch — what following a build from another process costs (BuildManager.watch,
// `munero watch`, Watch in VS Code): how late each event arrives, what an idle watch burns, and how
// long joining a long build takes. Writes its section of docs/benchmarks.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildManager, type MuneroEvent } from '../src/core';
import { writeSection } from './benchmarksPage.mjs';

const RATE_PER_S = 50;
const STREAM_S = 10;
const IDLE_S = 10;
const LONG_LOG = 100_000;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}

function workspace(): { root: string; buildDir: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-watch-')));
  const buildDir = path.join(root, '.munero', 'builds', 'b-bench');
  fs.mkdirSync(buildDir, { recursive: true });
  return { root, buildDir };
}

/**
 * Another process holding the lock and appending `count` events at `ratePerS` after `idleS`
 * seconds of silence, then build.finished; it lets go of the lock and exits.
 */
function holder(root: string, count: number, ratePerS: number, idleS: number) {
  const script = `
    const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
    const [root, count, rate, idle] = process.argv.slice(1);
    const lock = path.join(root, '.munero', 'lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), buildId: 'b-bench', startedAt: new Date().toISOString(), program: 'bench' }));
    const fd = fs.openSync(path.join(root, '.munero', 'builds', 'b-bench', 'events.jsonl'), 'a');
    let seq = 0;
    const write = (e) => fs.writeSync(fd, JSON.stringify({ ...e, seq: ++seq, at: new Date().toISOString() }) + '\\n');
    write({ type: 'build.started', buildId: 'b-bench', specPath: 'SPEC.md', requirementIds: ['R1'], resumed: false });
    setTimeout(() => {
      let n = 0;
      const timer = setInterval(() => {
        write({ type: 'log', level: 'info', message: 'event ' + n });
        if (++n === Number(count)) {
          clearInterval(timer);
          write({ type: 'build.finished', buildId: 'b-bench', outcome: 'verified', summary: 'done', unmet: [] });
          fs.rmSync(lock);
        }
      }, 1000 / Number(rate));
    }, Number(idle) * 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, root, String(count), String(ratePerS), String(idleS)], { stdio: 'inherit' });
  return new Promise<void>((resolve) => child.on('spawn', () => resolve()));
}

async function waitForLock(root: string): Promise<void> {
  while (!fs.existsSync(path.join(root, '.munero', 'lock'))) await new Promise((r) => setTimeout(r, 5));
}

/** Lag of each event (written → published here) and the watcher's CPU while the log is quiet. */
async function liveFigures() {
  const { root } = workspace();
  await holder(root, RATE_PER_S * STREAM_S, RATE_PER_S, IDLE_S);
  await waitForLock(root);
  const manager = new BuildManager({ workspaceRoot: root });
  const lags: number[] = [];
  let idleCpuMs = 0;
  let firstLog: number | undefined;
  const cpuAtStart = process.cpuUsage();
  manager.bus.events$.subscribe((e: MuneroEvent) => {
    if (e.type !== 'log') return;
    if (firstLog === undefined) {
      firstLog = Date.now();
      const cpu = process.cpuUsage(cpuAtStart);
      idleCpuMs = (cpu.user + cpu.system) / 1000;
    }
    lags.push(Date.now() - Date.parse(e.at));
  });
  const end = await manager.watch();
  if (end.kind !== 'finished' || lags.length !== RATE_PER_S * STREAM_S) throw new Error(`unexpected end: ${end.kind}, ${lags.length} events`);
  return { lags, idleCpuMs };
}

/** Joining a build whose log already holds LONG_LOG events: the current run's last events, or all from seq 0. */
async function joinFigures() {
  const { root, buildDir } = workspace();
  const lines: string[] = [JSON.stringify({ type: 'build.started', buildId: 'b-bench', specPath: 'SPEC.md', requirementIds: ['R1'], resumed: false, seq: 1, at: new Date().toISOString() })];
  for (let i = 2; i <= LONG_LOG; i++) lines.push(JSON.stringify({ type: 'agent.text', agentId: 'coder-T1-a1', taskId: 'T1', delta: 'some streamed text of a model turn, ', seq: i, at: new Date().toISOString() }));
  lines.push(JSON.stringify({ type: 'build.finished', buildId: 'b-bench', outcome: 'verified', summary: 'done', unmet: [], seq: LONG_LOG + 1, at: new Date().toISOString() }));
  fs.writeFileSync(path.join(buildDir, 'events.jsonl'), lines.join('\n') + '\n');
  const bytes = fs.statSync(path.join(buildDir, 'events.jsonl')).size;
  // The lock of a live process (this one's parent shell would do; this process itself is simplest).
  fs.writeFileSync(path.join(root, '.munero', 'lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), buildId: 'b-bench', startedAt: new Date().toISOString() }));
  const join = async (fromSeq?: number) => {
    const manager = new BuildManager({ workspaceRoot: root });
    let count = 0;
    manager.bus.events$.subscribe(() => count++);
    const t = performance.now();
    const end = await manager.watch({ fromSeq });
    if (end.kind !== 'finished') throw new Error(`unexpected end: ${end.kind}`);
    return { ms: performance.now() - t, count };
  };
  await join(0); // warm-up: the first pass pays for compiling the reader
  const current = await join();
  const all = await join(0);
  return { bytes, current, all };
}

async function main(): Promise<void> {
  const live = await liveFigures();
  const join = await joinFigures();
  const cpu = os.cpus();
  const section = [
    '## Watching a build from another process (issue 11)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu.length} × ${cpu[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version} with \`npm run bench:watch\` (BuildManager.watch, what \`munero watch\` and Watch in VS Code use; the log is looked at every 150 ms while quiet).`,
    '',
    `**Lag**, from the other process writing an event to this one publishing it, over ${live.lags.length} events written at ${RATE_PER_S}/s: median ${quantile(live.lags, 0.5)} ms, p95 ${quantile(live.lags, 0.95)} ms, max ${Math.max(...live.lags)} ms.`,
    '',
    `**An idle watch** (a build waiting ${IDLE_S} s on the model, nothing logged) used ${live.idleCpuMs.toFixed(0)} ms of CPU in those ${IDLE_S} s (${((live.idleCpuMs / (IDLE_S * 1000)) * 100).toFixed(2)} % of a core), counting its start.`,
    '',
    `**Joining a long build** (an event log of ${LONG_LOG.toLocaleString('en')} events, ${(join.bytes / 1024 / 1024).toFixed(1)} MiB): the current run (its start and its last 2,000 events, the default) published ${join.current.count.toLocaleString('en')} events in ${join.current.ms.toFixed(0)} ms; every event from seq 0 published ${join.all.count.toLocaleString('en')} in ${join.all.ms.toFixed(0)} ms. (Each read is at most 1 MiB, and at most 10,000 events are held before they are published.)`,
  ].join('\n');
  console.log(section);
  writeSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), '## Watching a build from another process', section);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
