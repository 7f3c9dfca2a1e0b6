import type { MuneroEvent, MuneroEventBody } from '../../../src/core';

let seq = 0;

/** Stamps an event body the way the bus does. */
export function ev(body: MuneroEventBody): MuneroEvent {
  seq += 1;
  return { ...body, seq, at: new Date(Date.UTC(2025, 0, 1, 12, 0, 0) + seq * 1000).toISOString() } as MuneroEvent;
}

export function usage(costUsd: number, tokens = 100) {
  return { inputTokens: tokens, outputTokens: tokens / 2, cacheWriteTokens: 0, cacheReadTokens: tokens * 3, costUsd, requests: 1 };
}

/** A small deterministic PRNG, so the long streams are the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A long build as the core emits it: one plan, tasks attempted in turn by a coder agent each
 * (so agents come and go), mostly streamed text, with tool calls, usage, checks and logs.
 */
export function* buildStream(count: number, options: { seed?: number; tasks?: number; textChars?: number } = {}): Generator<MuneroEvent> {
  const rand = prng(options.seed ?? 1);
  const taskCount = options.tasks ?? 12;
  const textChars = options.textChars ?? 60;
  const tasks = Array.from({ length: taskCount }, (_, i) => ({ id: `T${i + 1}`, title: `Task ${i + 1}`, requirements: [`R${i + 1}`], dependsOn: [] }));
  let n = 0;
  const emit = function* (body: MuneroEventBody) {
    if (n++ < count) yield ev(body);
  };
  yield* emit({ type: 'build.started', buildId: 'b1', specPath: 'SPEC.md', requirementIds: tasks.map((t) => t.requirements[0]!), resumed: false });
  yield* emit({ type: 'plan.accepted', version: 1, tasks });
  let cost = 0;
  for (let iteration = 1; n < count; iteration++) {
    yield* emit({ type: 'iteration.started', iteration });
    for (const task of tasks) {
      const attempt = iteration;
      const agentId = `coder-${task.id}-a${attempt}`;
      yield* emit({ type: 'task.started', taskId: task.id, attempt });
      yield* emit({ type: 'agent.state', agentId, role: 'coder', taskId: task.id, step: 'thinking' });
      for (let turn = 0; turn < 40 && n < count; turn++) {
        const r = rand();
        if (r < 0.75) {
          const len = 1 + Math.floor(rand() * textChars * 2);
          yield* emit({ type: 'agent.text', agentId, taskId: task.id, delta: 'x'.repeat(len - 1) + (rand() < 0.1 ? '\n' : 'y') });
        } else if (r < 0.85) {
          yield* emit({ type: 'tool.called', agentId, taskId: task.id, tool: 'write_file', summary: `src/file${turn}.ts` });
        } else if (r < 0.92) {
          cost += 0.001;
          yield* emit({ type: 'usage', agentId, taskId: task.id, model: 'm', request: usage(0.001), build: usage(cost, 100 * n) });
        } else if (r < 0.96) {
          yield* emit({ type: 'change.applied', changeId: `c${n}`, taskId: task.id, path: `src/file${turn}.ts`, created: rand() < 0.5 });
        } else {
          yield* emit({ type: 'log', level: rand() < 0.5 ? 'info' : 'warn', message: `note ${n}` });
        }
      }
      const failed = rand() < 0.3;
      yield* emit({ type: 'agent.state', agentId, role: 'coder', taskId: task.id, step: failed ? 'failed' : 'done' });
      yield* emit({ type: 'task.finished', taskId: task.id, status: failed ? 'failed' : 'done', attempt, ...(failed ? { reason: 'tests failed' } : {}) });
    }
    yield* emit({
      type: 'validation.finished',
      scope: `iteration ${iteration}`,
      passed: false,
      checks: [{ name: 'test', command: 'npm test', exitCode: 1, passed: false, durationMs: 1234, failures: [{ name: 'adds', message: 'expected 3', file: 'test/a.test.ts', line: 7 }] }],
    });
    yield* emit({ type: 'iteration.finished', iteration, passed: false });
  }
}
