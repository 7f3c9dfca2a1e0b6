import type { BuildManager, TrendPoint } from '../core';

const COLUMNS: [string, (p: TrendPoint) => string][] = [
  ['build', (p) => p.buildId],
  ['outcome', (p) => p.outcome],
  ['verified', (p) => `${p.verified}/${p.requirements}`],
  ['cost', (p) => `$${p.costUsd.toFixed(4)}`],
  ['$/verified req', (p) => (p.costPerVerified === undefined ? '–' : `$${p.costPerVerified.toFixed(4)}`)],
  ['iter/req', (p) => p.iterationsPerRequirement.toFixed(2)],
  ['check s/task', (p) => (p.checkMsPerTask === undefined ? '–' : (p.checkMsPerTask / 1000).toFixed(1))],
  ['1st-attempt pass', (p) => (p.firstAttemptPassRate === undefined ? '–' : `${Math.round(p.firstAttemptPassRate * 100)}%`)],
  ['time', (p) => `${(p.durationMs / 1000).toFixed(1)} s`],
];

/** `munero stats`: the trends of the last builds as a table, or as JSON. */
export function printStats(manager: BuildManager, json: boolean, limit?: number): number {
  const trends = manager.trends(limit);
  if (json) {
    process.stdout.write(JSON.stringify(trends, null, 2) + '\n');
    return 0;
  }
  if (trends.builds.length === 0) {
    process.stdout.write(`No finished builds in ${manager.workspaceRoot} yet: their figures are kept from the first finished build on.\n`);
    return 0;
  }
  const rows = trends.builds.map((p) => COLUMNS.map(([, cell]) => cell(p)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  process.stdout.write([line(COLUMNS.map(([title]) => title)), ...rows.map(line)].join('\n') + '\n');
  return 0;
}
