import assert from 'node:assert/strict';
import os from 'node:os';
import type { MuneroEvent, MuneroEventBody } from '../../../src/core';
import { splitWallTime, intervalsOf, runWindows, type Interval } from '../../../src/core/metrics/intervals';
import { criticalPath, slotWaitMs } from '../../../src/core/metrics/taskTimes';
import { trendsFrom } from '../../../src/core/metrics/trends';
import { runCommand } from '../../../src/core/tools/runCommand';
import type { PerformanceEntry } from '../../../src/core/learning/types';
import type { PlanTask } from '../../../src/core/state/buildState';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
const at = (ms: number, body: MuneroEventBody): MuneroEvent => ({ ...body, seq: ++seq, at: new Date(T0 + ms).toISOString() }) as MuneroEvent;
const task = (id: string, depends_on: string[] = []): PlanTask => ({ id, title: id, description: id, requirements: [], depends_on, files: [] });

describe('breakdown parts', () => {
  it('counts each instant of the wall time once, under checks > model > tools > waiting, the rest as engine time', () => {
    const iv = (kind: Interval['kind'], start: number, end: number): Interval => ({ kind, start: T0 + start, end: T0 + end });
    const split = splitWallTime([{ start: T0, end: T0 + 1000 }], [iv('checks', 100, 400), iv('model', 300, 600), iv('tools', 500, 700), iv('waiting', 650, 900), iv('model', 950, 1200)]);
    assert.deepEqual(split, { checksMs: 300, modelMs: 250, toolsMs: 100, waitingMs: 200, idleMs: 150 });
  });

  it('reads intervals from events: model and tool time end at their event, checks and review waits are paired, runs are windows', () => {
    const events = [
      at(0, { type: 'build.started', buildId: 'b', specPath: 's', requirementIds: [], resumed: false }),
      at(300, { type: 'usage', agentId: 'planner', role: 'planner', model: 'm', request: usageOf(0.01), build: usageOf(0.01), durationMs: 200, firstTokenMs: 50 }),
      at(400, { type: 'validation.started', scope: 'task T1', checks: ['npm test'] }),
      at(900, { type: 'validation.finished', scope: 'task T1', passed: true, checks: [] }),
      at(950, { type: 'agent.state', agentId: 'c', role: 'coder', step: 'waiting', detail: 'for review' }),
      at(1450, { type: 'agent.state', agentId: 'c', role: 'coder', step: 'acting', detail: 'review decided' }),
      at(1500, { type: 'build.finished', buildId: 'b', outcome: 'paused', summary: '', unmet: [] }),
      at(5000, { type: 'build.started', buildId: 'b', specPath: 's', requirementIds: [], resumed: true }),
      at(5100, { type: 'tool.result', agentId: 'c', tool: 'read_file', ok: true, summary: '', durationMs: 60 }),
      at(5200, { type: 'build.finished', buildId: 'b', outcome: 'verified', summary: '', unmet: [] }),
    ];
    const windows = runWindows(events);
    assert.deepEqual(windows.map((w) => w.end - w.start), [1500, 200], 'the time between the runs is not the build\'s');
    const split = splitWallTime(windows, intervalsOf(events));
    assert.deepEqual(split, { checksMs: 500, modelMs: 200, toolsMs: 60, waitingMs: 500, idleMs: 440 });
  });

  it('finds the critical path through dependencies, and the time ready tasks waited for a slot', () => {
    const tasks = [task('T1'), task('T2', ['T1']), task('T3', ['T1']), task('T4', ['T2', 'T3'])];
    const path = criticalPath(tasks, [
      { taskId: 'T1', attempts: 1, activeMs: 100, costUsd: 0 },
      { taskId: 'T2', attempts: 1, activeMs: 500, costUsd: 0 },
      { taskId: 'T3', attempts: 1, activeMs: 50, costUsd: 0 },
      { taskId: 'T4', attempts: 1, activeMs: 100, costUsd: 0 },
    ]);
    assert.deepEqual(path, { tasks: ['T1', 'T2', 'T4'], ms: 700 });
    const events = [
      at(0, { type: 'iteration.started', iteration: 1 }),
      at(10, { type: 'task.started', taskId: 'T1', attempt: 1 }),
      at(100, { type: 'task.finished', taskId: 'T1', status: 'done', attempt: 1 }),
      at(100, { type: 'task.started', taskId: 'T2', attempt: 1 }),
      at(300, { type: 'task.started', taskId: 'T3', attempt: 1 }), // ready at 100, one slot: waited 200
    ];
    assert.equal(slotWaitMs(events, tasks), 10 + 0 + 200);
  });

  it('trends: cost per verified requirement, iterations per requirement, and figures older builds lack left undefined', () => {
    const entry = (over: Partial<PerformanceEntry>): PerformanceEntry => ({
      buildId: 'b', specPath: 's', outcome: 'verified', iterations: 2, usage: usageOf(0.3), durationMs: 1000, at: 'x',
      requirements: [{ id: 'R1', verdict: 'verified' }, { id: 'R2', verdict: 'verified' }, { id: 'R3', verdict: 'failed' }], ...over,
    });
    const [old, now] = trendsFrom([entry({}), entry({ tasks: 4, firstAttemptPasses: 3, checkMs: 2000 })]).builds;
    assert.equal(old.costPerVerified, 0.15);
    assert.equal(old.iterationsPerRequirement, 2 / 3);
    assert.equal(old.checkMsPerTask, undefined);
    assert.equal(old.firstAttemptPassRate, undefined);
    assert.equal(now.checkMsPerTask, 500);
    assert.equal(now.firstAttemptPassRate, 0.75);
    assert.equal(trendsFrom([entry({}), entry({}), entry({})], 2).builds.length, 2);
  });

  it('measures a command\'s CPU time and peak memory from its process tree (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    // A child of the shell holds 60 MB and spins for 0.8 s.
    const script = 'const b = Buffer.alloc(60e6, 1); const t = Date.now(); while (Date.now() - t < 800) b[0]++;';
    const result = await runCommand({ command: `"${process.execPath}" -e "${script}"`, cwd: os.tmpdir(), timeoutMs: 20_000, maxOutputChars: 1000, env: { PATH: process.env.PATH ?? '' } });
    assert.equal(result.exitCode, 0, result.output);
    assert.ok(result.resources, 'measured');
    // CPU time depends on what else the machine runs; that some was seen is what is certain.
    assert.ok(result.resources.cpuMs > 0, `cpu ${result.resources.cpuMs} ms`);
    assert.ok(result.resources.peakRssBytes >= 60e6, `peak ${result.resources.peakRssBytes} bytes`);
  });
});

function usageOf(costUsd: number) {
  return { inputTokens: 10, outputTokens: 5, cacheWriteTokens: 0, cacheReadTokens: 0, costUsd, requests: 1 };
}
