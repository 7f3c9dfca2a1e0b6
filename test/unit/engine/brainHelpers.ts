import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { MuneroEvent } from '../../../src/core';
import type { RequestLogEntry, ScriptedServer } from '../../../src/scripted/server';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { makeWorkspace, tool } from './helpers';

/** Fast retries and no tracing, as in helpers.ts, plus whatever the test sets (reflection is on unless it says otherwise). */
export function brainConfig(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ traceability: false, request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3 }, ...extra }, null, 2);
}

/** A workspace with its own config (so reflection defaults to on unless `config.reflection` says otherwise). */
export function brainWorkspace(files: Record<string, string>, config: Record<string, unknown> = {}): string {
  return makeWorkspace({ '.munero/config.json': brainConfig(config), ...files });
}

/** A spec with one requirement per text (R1, R2, …) and `node --test` as its check. */
export function specOf(requirements: string[], maxIterations = 3): string {
  return [
    '---',
    'test_command: node --test',
    `max_iterations: ${maxIterations}`,
    '---',
    '# brain',
    '',
    '## Requirements',
    '',
    ...requirements.map((r, i) => `- R${i + 1}: ${r}`),
    '',
  ].join('\n');
}

export const GOOD_ADD = 'exports.add = (a, b) => a + b;\n';
export const ADD_TEST =
  "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add');\ntest('adds', () => assert.strictEqual(add(2, 3), 5));\n";

/** A node:test file whose tests all fail, each with its own name (so each set has its own signature). */
export function failingTests(names: string[]): string {
  return [
    "const test = require('node:test');",
    "const assert = require('node:assert');",
    ...names.map((n) => `test(${JSON.stringify(n)}, () => assert.fail(${JSON.stringify(`deliberate failure of ${n}`)}));`),
    '',
  ].join('\n');
}

/** A node:test file whose tests all pass. */
export function passingTests(names: string[]): string {
  return ["const test = require('node:test');", ...names.map((n) => `test(${JSON.stringify(n)}, () => {});`), ''].join('\n');
}

type Block = ReturnType<typeof tool> | { type: 'text'; text: string };

/** One coder attempt: each element is one model turn (a list of blocks), then task_complete. */
export function attempt(task: string, turns: Block[][], extra: Partial<ScriptTurn> = {}): ScriptTurn[] {
  return [
    ...turns.map((content) => ({ agent: 'coder', task, content, ...extra }) as ScriptTurn),
    { agent: 'coder', task, content: [tool('task_complete', { summary: `${task} done` })], ...extra } as ScriptTurn,
  ];
}

/** A one-turn coder attempt that writes these files and completes. */
export function writeAttempt(task: string, files: Record<string, string>, extra: Partial<ScriptTurn> = {}): ScriptTurn[] {
  return attempt(task, [Object.entries(files).map(([p, content]) => tool('write_file', { path: p, content }))], extra);
}

/**
 * A coder attempt that first reads the files (as a coder following its system prompt does) and
 * then writes them: a task that takes over files another task wrote must have seen them.
 */
export function readWriteAttempt(task: string, files: Record<string, string>, extra: Partial<ScriptTurn> = {}): ScriptTurn[] {
  return attempt(
    task,
    [Object.keys(files).map((p) => tool('read_file', { path: p })), Object.entries(files).map(([p, content]) => tool('write_file', { path: p, content }))],
    extra,
  );
}

export function reflectorTurn(task: string, r: { root_cause: string; lesson: string; next_action: 'retry' | 'split' | 'replan' | 'escalate' }): ScriptTurn {
  return { agent: 'reflector', task, content: [tool('submit_reflection', { task_id: task, ...r })] };
}

type PlanTask = { id: string; title: string; description: string; requirements: string[]; depends_on: string[]; files: string[] };

export function planOf(tasks: PlanTask[]): ScriptTurn {
  return { agent: 'planner', content: [tool('submit_plan', { tasks })] };
}

export function task(id: string, requirements: string[], files: string[], depends_on: string[] = []): PlanTask {
  return { id, title: `task ${id}`, description: `do ${id}`, requirements, depends_on, files };
}

type Body = {
  system: { type: string; text: string }[];
  tools: { name: string }[];
  messages: { role: string; content: string | { type: string; text?: string; content?: unknown; is_error?: boolean; tool_use_id?: string }[] }[];
};

export function bodyOf(entry: RequestLogEntry): Body {
  return entry.body as Body;
}

/** Requests the server answered for an agent role (and task, if given), in order. */
export function requestsOf(server: ScriptedServer, agent: string, taskId?: string): RequestLogEntry[] {
  return server.log.filter((e) => e.agent === agent && (taskId === undefined || e.task === taskId) && e.status === 200);
}

/** The first user message's text: the agent's brief. */
export function briefOf(entry: RequestLogEntry): string {
  const first = bodyOf(entry).messages[0];
  return typeof first.content === 'string' ? first.content : first.content.map((b) => b.text ?? '').join('\n');
}

/** The brief of each coder attempt at a task, in order (an attempt's first request carries the brief alone). */
export function attemptBriefs(server: ScriptedServer, taskId: string): string[] {
  return requestsOf(server, 'coder', taskId)
    .filter((e) => bodyOf(e).messages.length === 1)
    .map(briefOf);
}

/** The tool_result blocks of a request's last user message. */
export function lastToolResults(entry: RequestLogEntry): { content: string; is_error?: boolean; tool_use_id?: string }[] {
  const last = bodyOf(entry).messages.at(-1)!;
  if (typeof last.content === 'string') return [];
  return last.content.filter((b) => b.type === 'tool_result').map((b) => ({ ...b, content: String(b.content) }));
}

export function buildDir(workspace: string): string {
  const current = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8')).buildId;
  return path.join(workspace, '.munero', 'builds', current);
}

/** The current build's `build.json`, read from disk. */
export function buildJson(workspace: string): any {
  return JSON.parse(fs.readFileSync(path.join(buildDir(workspace), 'build.json'), 'utf8'));
}

export function changesJsonl(workspace: string): any[] {
  return fs
    .readFileSync(path.join(buildDir(workspace), 'changes.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

export function patternsJson(workspace: string): { patterns: { signature: string; tasks: string[]; lessons: { id: string; text: string; promoted: number; demoted: number }[] }[] } {
  return JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'learning', 'patterns.json'), 'utf8'));
}

export function eventsOf<T extends MuneroEvent['type']>(events: MuneroEvent[], type: T): Extract<MuneroEvent, { type: T }>[] {
  return events.filter((e): e is Extract<MuneroEvent, { type: T }> => e.type === type);
}

/** The sequence of task.started / task.finished events as "+T1" / "-T1" (terminal statuses only). */
export function startFinishOrder(events: MuneroEvent[]): string[] {
  return events
    .filter((e) => e.type === 'task.started' || e.type === 'task.finished')
    .map((e) => (e.type === 'task.started' ? `+${e.taskId}` : `-${(e as { taskId: string }).taskId}`));
}

/** Every request was one the real API would accept. */
export function assertNoRejects(server: ScriptedServer): void {
  assert.deepEqual(
    server.rejected().map((e) => `${e.agent}/${e.task}: ${e.errorMessage}`),
    [],
  );
}

/** Tokens a state's usage counts towards a token cap. */
export function tokensOf(u: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }): number {
  return u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

export async function waitFor(cond: () => boolean, timeoutMs = 10_000, stepMs = 10): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const MUL_REQ = '`mul(a, b)` in mul.js returns the product of two numbers.';
export const MUL_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { mul } = require('./mul');\ntest('multiplies', () => assert.strictEqual(mul(2, 3), 6));\n";
