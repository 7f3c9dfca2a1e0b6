import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildManager } from '../../../src/core';
import type { MuneroEvent } from '../../../src/core';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { ScriptFile, ScriptTurn } from '../../../src/scripted/scriptTypes';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * A temporary workspace. Unless the files give their own `.munero/config.json`, reflection is off
 * (scripts without reflector turns stay short), retries are fast, and passing checks verify a
 * requirement without a test naming it (traceability has its own tests, traceability.test.ts).
 */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-ws-'));
  const config = { reflection: false, traceability: false, request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3 } };
  for (const [rel, content] of Object.entries({ '.munero/config.json': JSON.stringify(config), ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** Replaces the workspace's config: fast retries and no reflection unless `extra` says otherwise. */
export function writeConfig(workspace: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(path.join(workspace, '.munero'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.munero', 'config.json'),
    JSON.stringify({ reflection: false, traceability: false, request: { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3 }, ...extra }, null, 2),
  );
}

export async function serve(turns: ScriptTurn[]): Promise<ScriptedServer> {
  const script: ScriptFile = { version: 1, turns };
  return startScriptedServer({ script });
}

export function managerFor(workspace: string, server: ScriptedServer): { manager: BuildManager; events: MuneroEvent[] } {
  const manager = new BuildManager({ workspaceRoot: workspace, env: { apiKey: 'test-key', baseURL: server.url } });
  const events: MuneroEvent[] = [];
  manager.bus.events$.subscribe((e) => events.push(e));
  return { manager, events };
}

/** A one-requirement spec whose check is `node --test`. */
export const ADD_SPEC = `---
test_command: node --test
max_iterations: 3
---
# adder

## Requirements

- R1: \`add(a, b)\` in add.js returns the sum of two numbers.
`;

const ADD_SOURCE = 'exports.add = (a, b) => a + b;\n';
const ADD_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add');\ntest('adds', () => assert.strictEqual(add(2, 3), 5));\n";
export const BROKEN_ADD = 'exports.add = (a, b) => a - b;\n';

export const text = (t: string) => ({ type: 'text' as const, text: t });
export const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });

type PlanTaskInput = { id: string; title: string; description: string; requirements: string[]; depends_on: string[]; files: string[] };

export const planTurn = (tasks: PlanTaskInput[] = [{ id: 'T1', title: 'add', description: 'write add.js and its test', requirements: ['R1'], depends_on: [], files: ['add.js'] }]): ScriptTurn => ({
  agent: 'planner',
  content: [tool('submit_plan', { tasks })],
});

/** A coder attempt that writes add.js (broken or not) with its test and says it is done. */
export function addAttempt(task = 'T1', source = ADD_SOURCE): ScriptTurn[] {
  return [
    { agent: 'coder', task, content: [tool('write_file', { path: 'add.js', content: source }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
    { agent: 'coder', task, content: [tool('task_complete', { summary: 'done' })] },
  ];
}

export function readEvents(workspace: string): MuneroEvent[] {
  const current = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8')).buildId;
  return fs
    .readFileSync(path.join(workspace, '.munero', 'builds', current, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
