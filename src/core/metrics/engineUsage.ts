import fs from 'node:fs';
import path from 'node:path';
import type { MuneroEventBody } from '../events/types';

const SAMPLE_MS = 500;
/** Entries counted at most when measuring `.munero/`: a figure, not an audit. */
const MAX_ENTRIES = 100_000;

/**
 * Samples the engine's own memory while a build runs, and at its end reports that with the
 * engine's CPU time and the size of `.munero/` as a `resources` event.
 */
export function watchEngine(stateDir: string): { finish(): Extract<MuneroEventBody, { type: 'resources' }> } {
  const cpuStart = process.cpuUsage();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    finish() {
      clearInterval(timer);
      sample();
      const cpu = process.cpuUsage(cpuStart);
      const size = folderBytes(stateDir);
      const notMeasured = [
        ...(process.platform === 'linux' ? [] : ["commands' CPU and memory: they are read from /proc, which only Linux has"]),
        ...(size.capped ? [`.munero/ beyond its first ${MAX_ENTRIES} entries`] : []),
        'memory peaks between samples (the engine every 0.5 s, commands every 0.2 s), so a command shorter than 0.2 s may show none',
      ];
      return { type: 'resources', enginePeakRssBytes: peakRss, enginePeakHeapBytes: peakHeap, engineCpuMs: Math.round((cpu.user + cpu.system) / 1000), stateBytes: size.bytes, notMeasured };
    },
  };
}

/** Bytes of the regular files under `dir`, links not followed, at most MAX_ENTRIES entries. */
export function folderBytes(dir: string): { bytes: number; capped: boolean } {
  let bytes = 0;
  let entries = 0;
  const stack = [dir];
  while (stack.length) {
    const current = stack.pop()!;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of names) {
      if (++entries > MAX_ENTRIES) return { bytes, capped: true };
      const full = path.join(current, d.name);
      if (d.isDirectory()) stack.push(full);
      else if (d.isFile()) {
        try {
          bytes += fs.lstatSync(full).size;
        } catch {
          // removed meanwhile
        }
      }
    }
  }
  return { bytes, capped: false };
}
