// What durable state writes cost: each state document (build.json, current.json, a checkpoint
// manifest) is written to a temporary file, flushed (fsync), renamed over the old one, and its
// folder flushed; a blob is flushed before any manifest names it. This times those writes with and
// without the flushes, on the file system of the folder given (default: the system temp folder),
// and writes its section of docs/benchmarks.md. `npm run bench:state [-- --dir DIR]`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../src/core/state/blobs';
import { writeFileAtomic } from '../src/core/state/durableWrite';
import { JsonDocument } from '../src/core/state/jsonDocument';
import { writeSection } from './benchmarksPage.mjs';

const WRITES = 200;

function timeEach(n: number, run: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    run(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

function interleaved(n: number, runs: (() => void)[]): number[][] {
  const out: number[][] = runs.map(() => []);
  for (let i = 0; i < n; i++) {
    runs.forEach((run, k) => {
      const t = process.hrtime.bigint();
      run();
      out[k].push(Number(process.hrtime.bigint() - t) / 1e6);
    });
  }
  return out.map((xs) => xs.sort((a, b) => a - b));
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => xs[Math.floor(xs.length * 0.95)];
const ms = (x: number) => `${x < 1 ? x.toFixed(3) : x.toFixed(2)} ms`;

/** A build state document of about `bytes` characters (tasks with requirements and attempts). */
function buildDocument(bytes: number): Record<string, unknown> {
  const tasks: Record<string, unknown> = {};
  for (let i = 0; JSON.stringify(tasks).length < bytes; i++) tasks[`T${i}`] = { status: 'done', attempts: 2, summary: `task ${i} wrote its module and its tests`, files: [`src/m${i}.ts`, `test/m${i}.test.ts`] };
  return { id: 'b-bench', status: 'running', tasks };
}

function fileSystemOf(dir: string): string {
  try {
    const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).filter((p) => p.length > 2);
    const real = fs.realpathSync(dir);
    const best = mounts.filter(([, at]) => real === at || real.startsWith(at.endsWith('/') ? at : `${at}/`)).sort((a, b) => b[1].length - a[1].length)[0];
    return best ? `${best[2]} (${best[0]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}

function main(): void {
  const at = process.argv.indexOf('--dir');
  const base = fs.mkdtempSync(path.join(at > 0 ? process.argv[at + 1] : os.tmpdir(), 'munero-bench-state-'));
  const rows: string[] = [];
  const cost: string[] = [];
  try {
    for (const size of [4 * 1024, 64 * 1024]) {
      const text = JSON.stringify(buildDocument(size), null, 2);
      // Interleaved, so load from elsewhere on the machine falls on both alike.
      const [fast, durable] = interleaved(WRITES, [() => writeFileAtomic(path.join(base, 'fast.json'), text, { durable: false }), () => writeFileAtomic(path.join(base, 'durable.json'), text)]);
      rows.push(`| state document, ${(text.length / 1024).toFixed(0)} KiB (rename only / fsync file + folder) | ${ms(median(fast))} / ${ms(median(durable))} | ${ms(p95(fast))} / ${ms(p95(durable))} |`);
      cost.push(`${(text.length / 1024).toFixed(0)} KiB: +${ms(median(durable) - median(fast))}`);
    }
    const doc = new JsonDocument<{ n: number; tasks: unknown }>(path.join(base, 'build.json'), { n: 0, tasks: buildDocument(4 * 1024).tasks });
    const updates = timeEach(WRITES, (i) => doc.update((d) => void (d.n = i)));
    rows.push(`| \`JsonDocument.update\` of a 4 KiB build.json (serialise + durable write) | ${ms(median(updates))} | ${ms(p95(updates))} |`);
    const blobs = new BlobStore(path.join(base, 'blobs'));
    const blobTimes = timeEach(WRITES, (i) => blobs.put(Buffer.from(`${i}\n`.repeat(1024))));
    rows.push(`| new 4 KiB blob (fsync file + folder) | ${ms(median(blobTimes))} | ${ms(p95(blobTimes))} |`);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const section = [
    '## Durable state writes (issue 11)',
    '',
    `\`npm run bench:state\` on ${os.cpus().length} CPUs (load average ${os.loadavg()[0].toFixed(1)} while it ran), Node ${process.version}, ${fileSystemOf(os.tmpdir())}; ${WRITES} writes each, durable and not interleaved.`,
    '',
    '| write | median | p95 |',
    '| --- | --- | --- |',
    ...rows,
    '',
    `What the flushes add per state write (median): ${cost.join(', ')}. The damaged-state test's build`,
    '(one task failing once, then passing; two iterations) made 38 such writes (31 of build.json, 5',
    'checkpoint manifests, current.json, patterns.json; counted with MUNERO_TEST_KILL_TRACE), so about',
    '25 ms of flushing in a build of several seconds. The append-only logs (events, transcripts, changes)',
    'are not flushed per line: a torn last line is dropped with a note when read.',
  ].join('\n');
  writeSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), '## Durable state writes', section);
  process.stdout.write(`${section}\n`);
}

main();
