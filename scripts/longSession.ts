// The long build of issue 11, shared by `npm run bench:long` (through the CLI) and
// `npm run bench:vscode-long` (in a VS Code window): N independent requirements (the spec of the
// scaling benchmark), one task each, whose coder takes T turns of ordinary work before
// task_complete, so the build makes N × T + 1 model requests.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ScriptFile, ScriptTurn } from '../src/scripted/scriptTypes';
import { spec } from './bench-scaling';

export interface LongBuild {
  tasks: number;
  turnsPerTask: number;
  parallel: number;
  /** The model's delay per turn; written into every turn (`latency_ms`) unless the server adds it itself. */
  turnLatencyMs?: number;
}

/** The flags both long-build benchmarks take: the build's size and pace, how often to sample, whether to write docs/benchmarks.md. */
export function longBuildArgs(): { build: Required<LongBuild>; samples: number; write: boolean; keep: boolean } {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '200' },
      'turns-per-task': { type: 'string', default: '25' },
      'latency-ms': { type: 'string', default: '50' },
      parallel: { type: 'string', default: '4' },
      samples: { type: 'string', default: '20' },
      'no-write': { type: 'boolean' },
      keep: { type: 'boolean' },
    },
    strict: true,
  });
  const whole = (name: keyof typeof values, min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${String(values[name])}: expected a whole number of at least ${min}`);
    return n;
  };
  return {
    build: { tasks: whole('tasks', 1), turnsPerTask: whole('turns-per-task', FIXED_TURNS), parallel: whole('parallel', 1), turnLatencyMs: whole('latency-ms', 0) },
    samples: whole('samples', 1),
    write: !values['no-write'],
    keep: Boolean(values.keep),
  };
}

/** Turns besides the reads, searches and edits: list, write, the test run and task_complete. */
export const FIXED_TURNS = 4;

const tool = (name: string, input: Record<string, unknown>) => ({ type: 'tool_use' as const, name, input });

/** One task's coder turns: the files written first, then reads, searches and edits in turn, one test run, task_complete. */
function coderTurns(k: number, turns: number): ScriptTurn['content'][] {
  const source = `src/part${k}.js`;
  const testFile = `test/part${k}.test.js`;
  const test = `const test = require('node:test');\nconst assert = require('node:assert');\nconst { part${k} } = require('../src/part${k}');\ntest('R${k}: part${k} returns ${k}', () => assert.strictEqual(part${k}(), ${k}));\n`;
  const content: ScriptTurn['content'][] = [
    [tool('list_files', {})],
    [tool('write_file', { path: source, content: `// rev 0\nexports.part${k} = () => ${k};\n` }), tool('write_file', { path: testFile, content: test })],
  ];
  let rev = 0;
  for (let i = 0; i < turns - FIXED_TURNS; i++) {
    if (i % 4 === 0) content.push([tool('read_file', { path: source })]);
    if (i % 4 === 1) content.push([tool('search_files', { pattern: `part${k}\\b`, path: 'src' })]);
    if (i % 4 === 2) content.push([tool('edit_file', { path: source, old_text: `// rev ${rev}`, new_text: `// rev ${++rev}` })]);
    if (i % 4 === 3) content.push([tool('read_file', { path: testFile })]);
  }
  content.push([tool('run_command', { command: `node --test ${testFile}` })]);
  content.push([tool('task_complete', { summary: `part${k} written and tested` })]);
  return content;
}

export function longSession(b: LongBuild): ScriptFile {
  if (b.turnsPerTask < FIXED_TURNS) throw new Error(`a task takes at least ${FIXED_TURNS} turns, not ${b.turnsPerTask}`);
  const latency = b.turnLatencyMs ? { latency_ms: b.turnLatencyMs } : {};
  const ids = Array.from({ length: b.tasks }, (_, i) => i + 1);
  const plan = ids.map((k) => ({ id: `T${k}`, title: `part${k}`, description: `write src/part${k}.js and its test`, requirements: [`R${k}`], depends_on: [], files: [`src/part${k}.js`, `test/part${k}.test.js`] }));
  const turns: ScriptTurn[] = [{ agent: 'planner', content: [tool('submit_plan', { tasks: plan })], ...latency }];
  for (const k of ids) for (const content of coderTurns(k, b.turnsPerTask)) turns.push({ agent: 'coder', task: `T${k}`, content, ...latency });
  return { version: 1, description: `${b.tasks} tasks × ${b.turnsPerTask} coder turns`, turns };
}

/** The spec as `specName` and a .munero/config.json for the long build in `workspace`; the session as `sessionFile`. */
export function writeLongBuild(b: LongBuild, workspace: string, specName: string, sessionFile: string): number {
  const session = longSession(b);
  fs.writeFileSync(sessionFile, JSON.stringify(session));
  fs.writeFileSync(path.join(workspace, specName), spec(b.tasks));
  fs.mkdirSync(path.join(workspace, '.munero'), { recursive: true });
  const config = { parallel: b.parallel, reflection: false, maxTurnsPerTask: b.turnsPerTask + 5, commands: { allow: ['node --test *'] } };
  fs.writeFileSync(path.join(workspace, '.munero', 'config.json'), JSON.stringify(config, null, 2));
  return session.turns.length;
}

/** Counts the model turns (usage events) of a growing event log, reading only what was appended. */
export class TurnCounter {
  private offset = 0;
  private rest = '';
  turns = 0;
  constructor(private readonly file: string) {}
  read(): number {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return this.turns;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size > this.offset) {
        const buf = Buffer.alloc(size - this.offset);
        fs.readSync(fd, buf, 0, buf.length, this.offset);
        this.offset = size;
        const lines = (this.rest + buf.toString('utf8')).split('\n');
        this.rest = lines.pop()!;
        for (const line of lines) if (line.includes('"type":"usage"')) this.turns++;
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.turns;
  }
}

/** A process's resident memory, from /proc (Linux). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
