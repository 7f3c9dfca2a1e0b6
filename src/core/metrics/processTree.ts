import fs from 'node:fs';

/** How often a running command's processes are sampled. Shorter runs may show no memory figure. */
export const SAMPLE_MS = 200;
/** Processes read per sample at most, so a machine with a huge process table costs bounded time. */
const MAX_PROCESSES = 4000;
// Linux reports CPU time in clock ticks (USER_HZ, 100 on every mainstream kernel) and RSS in pages.
const TICK_MS = 10;
const PAGE_BYTES = 4096;

export interface TreeUsage {
  /** User + system CPU of the command's processes, their reaped children included, at the last sample. */
  cpuMs: number;
  /** Largest resident memory the processes reached together over the samples. */
  peakRssBytes: number;
}

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

/**
 * Samples the process tree under `rootPid` (the shell a command runs in, and everything it
 * started, sandbox included) from /proc until stopped. Only Linux has /proc; elsewhere this
 * returns undefined and commands' resources go unmeasured (the report says so).
 */
export function watchProcessTree(rootPid: number | undefined): { stop(): TreeUsage | undefined } | undefined {
  if (rootPid === undefined || process.platform !== 'linux' || !fs.existsSync('/proc/self/stat')) return undefined;
  let usage: TreeUsage | undefined;
  const sample = () => {
    const now = sampleTree(rootPid);
    if (!now) return;
    usage = { cpuMs: Math.max(usage?.cpuMs ?? 0, now.cpuMs), peakRssBytes: Math.max(usage?.peakRssBytes ?? 0, now.peakRssBytes) };
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return usage;
    },
  };
}

/** One reading of the tree: CPU counts each live process's own and reaped children's time. */
export function sampleTree(rootPid: number): TreeUsage | undefined {
  const stats = new Map<number, Stat>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).slice(0, MAX_PROCESSES);
  } catch {
    return undefined;
  }
  for (const name of entries) {
    const stat = readStat(Number(name));
    if (stat) stats.set(stat.pid, stat);
  }
  if (!stats.has(rootPid)) return undefined;
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  let cpuTicks = 0;
  let rssPages = 0;
  const queue = [rootPid];
  const seen = new Set<number>();
  while (queue.length) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const s = stats.get(pid);
    if (!s) continue;
    cpuTicks += s.cpuTicks;
    rssPages += s.rssPages;
    queue.push(...(children.get(pid) ?? []));
  }
  return { cpuMs: cpuTicks * TICK_MS, peakRssBytes: rssPages * PAGE_BYTES };
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between the listing and the read
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17) … rss(24), so index = field - 3.
  const num = (field: number) => Number(f[field - 3]) || 0;
  return { pid, ppid: num(4), cpuTicks: num(14) + num(15) + num(16) + num(17), rssPages: num(24) };
}
