import { money, pct, seconds } from './bottlenecks';
import type { BuildBreakdown } from './types';

/** The report's "Where the time and money went" section. */
export function breakdownSection(b: BuildBreakdown): string[] {
  const share = (ms: number) => (b.wallMs > 0 ? pct(ms / b.wallMs) : '–');
  const w = b.wall;
  const lines = ['', '## Where the time and money went', ''];
  if (b.bottlenecks.length) {
    lines.push('**Bottlenecks**', '');
    for (const x of b.bottlenecks) lines.push(`- ${x.message}. *What would help:* ${x.advice}.`);
    lines.push('');
  }
  lines.push(
    `Wall time ${seconds(b.wallMs)}: checks ${seconds(w.checksMs)} (${share(w.checksMs)}), model ${seconds(w.modelMs)} (${share(w.modelMs)}), tools ${seconds(w.toolsMs)} (${share(w.toolsMs)}), waiting ${seconds(w.waitingMs)} (${share(w.waitingMs)}), engine only ${seconds(w.idleMs)} (${share(w.idleMs)}).`,
    `Model: ${b.model.requests} requests, ${seconds(b.model.totalMs)} in all (first token ${seconds(b.model.firstTokenMs)}, streaming ${seconds(b.model.streamingMs)}). Parallelism averaged ${b.parallelism.average.toFixed(1)} of ${b.parallelism.slots} slots; critical path ${b.criticalPath.tasks.join(' → ') || '–'} (${seconds(b.criticalPath.ms)}).`,
    `Waiting: review ${seconds(b.waiting.reviewMs)}, for a free slot ${seconds(b.waiting.slotMs)}, retry backoff ${seconds(b.waiting.retryBackoffMs)}.`,
    '',
  );
  if (b.checks.length) {
    lines.push('| check | runs | failed | time | CPU | peak memory |', '| --- | --- | --- | --- | --- | --- |');
    for (const c of b.checks) lines.push(`| \`${c.command}\` | ${c.runs} | ${c.failed} | ${seconds(c.totalMs)} | ${c.cpuMs === undefined ? 'not measured' : seconds(c.cpuMs)} | ${mib(c.peakRssBytes)} |`);
    lines.push('');
  }
  if (b.tools.length) {
    lines.push('| tool | calls | failed | time |', '| --- | --- | --- | --- |');
    for (const t of b.tools) lines.push(`| ${t.tool} | ${t.calls} | ${t.failed} | ${seconds(t.totalMs)} |`);
    lines.push('');
  }
  lines.push('| cost by | | requests | tokens in / out | cost |', '| --- | --- | --- | --- | --- |');
  for (const [label, rows] of [['role', b.cost.byRole], ['task', b.cost.byTask], ['requirement', b.cost.byRequirement]] as const) {
    for (const r of rows) lines.push(`| ${label} | ${r.key} | ${Math.round(r.requests)} | ${r.inputTokens} / ${r.outputTokens} | ${money(r.costUsd)} |`);
  }
  const res = b.resources;
  lines.push(
    '',
    `Resources: engine peak memory ${mib(res.enginePeakRssBytes)} (heap ${mib(res.enginePeakHeapBytes)}), engine CPU ${res.engineCpuMs === undefined ? 'not measured' : seconds(res.engineCpuMs)}; checks' CPU ${res.checksCpuMs === undefined ? 'not measured' : seconds(res.checksCpuMs)}, largest check ${mib(res.checksPeakRssBytes)}; .munero/ ${mib(res.stateBytes)}.` +
      (res.notMeasured.length ? ` Not measured: ${res.notMeasured.join('; ')}.` : ''),
  );
  const reuse = b.solutionReuse;
  lines.push(
    reuse.offered
      ? `Earlier solutions offered as a reference: ${reuse.offered} times (${reuse.tasks.join(', ')}); ${reuse.passedFirstAttempt} of those tasks passed on the first attempt.`
      : 'Earlier solutions offered as a reference: none (no earlier verified task in this workspace matched).',
  );
  return lines;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'not measured' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
