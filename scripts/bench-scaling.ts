// The checks-scaling table of `npm run bench` (issue 12): builds of N independent requirements,
// each a task writing src/partN.js and its test, with the whole suite after each task (the old
// behaviour, `checks.affectedOnly: false`) and with affected tests only (the default).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildManager, type MuneroEvent } from '../src/core';
import { startScriptedServer } from '../src/scripted/server';
import type { ScriptTurn } from '../src/scripted/scriptTypes';

export interface ScalingRow {
  requirements: number;
  /** The scripted model's delay before each answer. */
  latencyMs: number;
  behaviour: 'whole suite after each task' | 'affected tests after each task';
  outcome: string;
  wallMs: number;
  checkMs: number;
  checkRuns: number;
  /** Test files run over all check runs, summed (what the selection saves). */
  testFilesRun: number;
}

const PARALLEL = 4;
const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });

export function spec(n: number): string {
  const reqs = Array.from({ length: n }, (_, i) => `- R${i + 1}: src/part${i + 1}.js exports part${i + 1}(), which returns ${i + 1}.`);
  return ['---', 'test_command: node --test', '---', '# scaling', '', '## Requirements', '', ...reqs, ''].join('\n');
}

function script(n: number): ScriptTurn[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const plan = ids.map((k) => ({ id: `T${k}`, title: `part${k}`, description: `write src/part${k}.js and its test`, requirements: [`R${k}`], depends_on: [], files: [`src/part${k}.js`, `test/part${k}.test.js`] }));
  const turns: ScriptTurn[] = [{ agent: 'planner', content: [tool('submit_plan', { tasks: plan })] }];
  for (const k of ids) {
    const source = `exports.part${k} = () => ${k};\n`;
    const test = `const test = require('node:test');\nconst assert = require('node:assert');\nconst { part${k} } = require('../src/part${k}');\ntest('R${k}: part${k} returns ${k}', () => assert.strictEqual(part${k}(), ${k}));\n`;
    turns.push({ agent: 'coder', task: `T${k}`, content: [tool('write_file', { path: `src/part${k}.js`, content: source }), tool('write_file', { path: `test/part${k}.test.js`, content: test })] });
    turns.push({ agent: 'coder', task: `T${k}`, content: [tool('task_complete', { summary: `part${k} written` })] });
  }
  return turns;
}

/** One build of `n` requirements; figures from its own events. */
export async function scalingBuild(n: number, affectedOnly: boolean, latencyMs = 0): Promise<ScalingRow> {
  const server = await startScriptedServer({ script: { version: 1, turns: script(n) }, latencyMs });
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-scaling-'));
  fs.writeFileSync(path.join(ws, 'SPEC.md'), spec(n));
  fs.mkdirSync(path.join(ws, '.munero'));
  fs.writeFileSync(path.join(ws, '.munero', 'config.json'), JSON.stringify({ parallel: PARALLEL, reflection: false, maxTurnsPerTask: 5, checks: { affectedOnly } }));
  const manager = new BuildManager({ workspaceRoot: ws, env: { apiKey: 'bench', baseURL: server.url } });
  const events: MuneroEvent[] = [];
  manager.bus.events$.subscribe((e) => events.push(e));
  const t = performance.now();
  const result = await manager.start('SPEC.md');
  const wallMs = performance.now() - t;
  await server.close();
  fs.rmSync(ws, { recursive: true, force: true });
  const finished = events.filter((e): e is Extract<MuneroEvent, { type: 'validation.finished' }> => e.type === 'validation.finished');
  return {
    requirements: n,
    latencyMs,
    behaviour: affectedOnly ? 'affected tests after each task' : 'whole suite after each task',
    outcome: result.outcome,
    wallMs,
    checkMs: finished.reduce((sum, e) => sum + e.checks.reduce((s, c) => s + c.durationMs, 0), 0),
    checkRuns: finished.length,
    testFilesRun: testFilesRun(events),
  };
}

/** Test files the check runs ran, summed: the selection's, or for a whole-suite run every test file written by then. */
function testFilesRun(events: MuneroEvent[]): number {
  const written = new Set<string>();
  let total = 0;
  for (const e of events) {
    if (e.type === 'change.applied' && e.path.startsWith('test/')) written.add(e.path);
    if (e.type === 'validation.started') total += e.selection?.mode === 'affected' ? e.selection.tests.length : written.size;
  }
  return total;
}

export function scalingSection(rows: ScalingRow[], command: string, notes: string[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const perTask = (r: ScalingRow) => r.wallMs / r.requirements;
  const at = (n: number, b: ScalingRow['behaviour']) => rows.find((r) => r.requirements === n && r.behaviour === b && r.latencyMs === 0);
  const table = [
    '| requirements | model latency | behaviour | outcome | wall time | check time | check runs | test files run | per task | check time per task |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.requirements} | ${r.latencyMs} ms | ${r.behaviour} | ${r.outcome} | ${s(r.wallMs)} | ${s(r.checkMs)} | ${r.checkRuns} | ${r.testFilesRun} | ${(perTask(r) / 1000).toFixed(2)} s | ${(r.checkMs / r.requirements / 1000).toFixed(2)} s |`),
  ];
  const newRow = (n: number) => at(n, 'affected tests after each task');
  const goal = newRow(4) && newRow(48) ? `Per task at 48 requirements: **${(perTask(newRow(48)!) / perTask(newRow(4)!)).toFixed(2)}×** the time per task at 4 (goal: at most 1.3×).` : '';
  const big = newRow(200) && newRow(48) ? ` Check time per task at 200: ${(newRow(200)!.checkMs / 200 / 1000).toFixed(2)} s, at 48: ${(newRow(48)!.checkMs / 48 / 1000).toFixed(2)} s (linear growth keeps it flat).` : '';
  return [
    '## Checks that scale (issue 12)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, with \`${command}\` (load average ${os.loadavg()[0].toFixed(1)} when the table was written: the machine is shared, so the figures are high and vary).`,
    '',
    `N independent requirements (\`- Rn: src/partN.js exports partN(), which returns N.\`), one task each writing the module and a test naming its id; the scripted model at zero latency (at 300 ms per answer where the table says so), \`--parallel ${PARALLEL}\`, \`node --test\` as the test command, the OS sandbox on. Check time is the sum of the check runs' durations (they run while other agents work, so it is not a share of the wall time). "Whole suite after each task" is the old behaviour, kept by \`"checks": { "affectedOnly": false }\`; both end each iteration with the whole frozen suite.`,
    '',
    ...table,
    '',
    goal + big,
    ...notes.map((n) => `\n${n}`),
    '',
  ].join('\n');
}
