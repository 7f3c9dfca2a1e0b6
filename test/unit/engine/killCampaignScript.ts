import fs from 'node:fs';
import path from 'node:path';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { ADD_TEST, brainWorkspace, GOOD_ADD, MUL_REQ, MUL_TEST, specOf } from './brainHelpers';
import { BROKEN_ADD } from './helpers';

/**
 * The build the kill campaign interrupts: two tasks, T1 (add) and T2 (mul, after T1), each failing
 * once. T1's reflector says retry and its lesson must reach T1's second attempt; T2's says split,
 * so the planner revises the plan and T3 finishes mul. Every tool call has its own id, so a turn
 * served again after a kill carries the same ids as in the uninterrupted build.
 */
export const LESSON = 'LESSON-KILL-1: compare the operator in add.js with the requirement text.';
const ADD_REQ = '`add(a, b)` in add.js returns the sum of two numbers.';
const GOOD_MUL = 'exports.mul = (a, b) => a * b;\n';
const BROKEN_MUL = 'exports.mul = (a, b) => a + b;\n';

type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };
let ids = 0;
const call = (name: string, input: Record<string, unknown>): Block => ({ type: 'tool_use', id: `toolu_kill${String(++ids).padStart(2, '0')}`, name, input });
const say = (text: string): Block => ({ type: 'text', text });
const turn = (agent: string, task: string | undefined, ...content: Block[]): ScriptTurn => ({ agent, ...(task ? { task } : {}), content }) as ScriptTurn;
const planTask = (id: string, requirements: string[], files: string[], depends_on: string[] = []) => ({ id, title: `task ${id}`, description: `do ${id}`, requirements, depends_on, files });

export function campaignSpec(): string {
  return specOf([ADD_REQ, MUL_REQ], 5);
}

export function campaignTurns(): ScriptTurn[] {
  ids = 0;
  const t1 = planTask('T1', ['R1'], ['add.js', 'add.test.js']);
  return [
    turn('planner', undefined, say('Two tasks: add, then mul.'), call('submit_plan', { tasks: [t1, planTask('T2', ['R2'], ['mul.js', 'mul.test.js'], ['T1'])] })),
    turn('coder', 'T1', say('Writing add and its test.'), call('write_file', { path: 'add.js', content: BROKEN_ADD }), call('write_file', { path: 'add.test.js', content: ADD_TEST })),
    turn('coder', 'T1', call('task_complete', { summary: 'add written' })),
    turn('reflector', 'T1', say('The operator is wrong.'), call('submit_reflection', { task_id: 'T1', root_cause: 'add.js subtracts.', lesson: LESSON, next_action: 'retry' })),
    turn('coder', 'T1', say('Fixing the operator.'), call('write_file', { path: 'add.js', content: GOOD_ADD })),
    turn('coder', 'T1', call('task_complete', { summary: 'add fixed' })),
    turn('coder', 'T2', say('Writing mul and its test.'), call('write_file', { path: 'mul.js', content: BROKEN_MUL }), call('write_file', { path: 'mul.test.js', content: MUL_TEST })),
    turn('coder', 'T2', call('task_complete', { summary: 'mul written' })),
    turn('reflector', 'T2', call('submit_reflection', { task_id: 'T2', root_cause: 'mul.js adds.', lesson: 'Read the requirement before writing.', next_action: 'split' })),
    turn('planner', undefined, say('A fix task for mul.'), call('submit_plan', { tasks: [t1, planTask('T3', ['R2'], ['mul.js'])] })),
    turn('coder', 'T3', call('read_file', { path: 'mul.js' })),
    turn('coder', 'T3', say('Fixing mul.'), call('write_file', { path: 'mul.js', content: GOOD_MUL })),
    turn('coder', 'T3', call('task_complete', { summary: 'mul fixed' })),
  ];
}

export function campaignWorkspace(): string {
  return brainWorkspace({ 'SPEC.md': campaignSpec() });
}

/** The current build's folder under `.munero/builds`. */
export function buildFolder(workspace: string): string {
  const current = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8')).buildId;
  return path.join(workspace, '.munero', 'builds', current);
}

function jsonLines(file: string): any[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return []; // a torn last line, as the engine reads it
      }
    });
}

/**
 * The script a deterministic model would still answer after a kill: for each agent role and task,
 * the turns whose answers some conversation log already holds are gone; a turn whose answer was
 * cut off (mid stream, or received but not yet logged) is served again, as a model asked the same
 * question again would answer it.
 */
export function turnsLeft(turns: ScriptTurn[], workspace: string): ScriptTurn[] {
  const dir = path.join(buildFolder(workspace), 'conversations');
  const answered = new Map<string, number>();
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const agentId = file.replace(/\.jsonl$/, '');
    const [role, ...rest] = agentId.split('-');
    const task = role === 'planner' ? '' : rest.join('-').replace(/-a\d+$/, '');
    const key = `${role}/${task}`;
    answered.set(key, (answered.get(key) ?? 0) + jsonLines(path.join(dir, file)).filter((e) => e.kind === 'assistant').length);
  }
  return turns.filter((t) => {
    const key = `${t.agent}/${t.task ?? ''}`;
    const skip = answered.get(key) ?? 0;
    if (skip === 0) return true;
    answered.set(key, skip - 1);
    return false;
  });
}

/** The workspace's files outside `.munero`, by relative path. */
export function workspaceFiles(workspace: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.munero') continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else out[path.relative(workspace, abs)] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(workspace);
  return out;
}

/** The changes that reached the disk, one line each: which tool call wrote what. */
export function appliedChanges(workspace: string): string[] {
  return jsonLines(path.join(buildFolder(workspace), 'changes.jsonl'))
    .filter((c) => c.status === 'applied')
    .map((c) => `${c.toolUseId ?? c.tool} ${c.path} ${c.afterSha}`)
    .sort();
}
