import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { managerFor, serve } from '../engine/helpers';
import { brainWorkspace, planOf, specOf, task, writeAttempt } from '../engine/brainHelpers';

/** The transcripts under `workspace` this process holds open, by file name (Linux: /proc/self/fd). */
function openTranscripts(workspace: string): string[] {
  const open: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    let target = '';
    try {
      target = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (target.startsWith(workspace) && target.includes(`${path.sep}transcripts${path.sep}`)) open.push(path.basename(target));
  }
  return open.sort();
}

const module = (k: number) => ({ [`m${k}.js`]: `exports.m${k} = () => ${k};\n`, [`m${k}.test.js`]: `const test = require('node:test');\nconst assert = require('node:assert');\ntest('m${k}', () => assert.strictEqual(require('./m${k}').m${k}(), ${k}));\n` });

describe('transcripts of a long build', function () {
  this.timeout(60_000);

  it('are closed as their agents end, so a build of many tasks does not hold a file per agent', async function () {
    if (process.platform !== 'linux') this.skip(); // open files are read from /proc
    const ids = [1, 2, 3];
    const server = await serve([planOf(ids.map((k) => task(`T${k}`, [`R${k}`], [`m${k}.js`, `m${k}.test.js`]))), ...ids.flatMap((k) => writeAttempt(`T${k}`, module(k)))]);
    const workspace = fs.realpathSync(brainWorkspace({ 'SPEC.md': specOf(ids.map((k) => `m${k}.js exports m${k}() returning ${k}.`)) }, { reflection: false, parallel: 1 }));
    try {
      const { manager } = managerFor(workspace, server);
      const atTaskStart: string[][] = [];
      const whileCoding: string[][] = [];
      manager.bus.events$.subscribe((e) => {
        if (e.type === 'task.started') atTaskStart.push(openTranscripts(workspace));
        if (e.type === 'tool.called' && e.tool === 'task_complete') whileCoding.push(openTranscripts(workspace));
      });
      const result = await manager.start('SPEC.md');
      assert.equal(result.outcome, 'verified', result.reason);
      // One task at a time: when the next starts, the planner and the earlier coders have ended.
      assert.deepEqual(atTaskStart, [[], [], []]);
      // A running agent keeps its own open, and only its own.
      assert.deepEqual(whileCoding, ids.map((k) => [`coder-T${k}-a1.jsonl`]));
      // Closing loses nothing: every agent's transcript holds its turns.
      const dir = path.join(workspace, '.munero', 'builds', JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8')).buildId, 'transcripts');
      for (const k of ids) assert.equal(fs.readFileSync(path.join(dir, `coder-T${k}-a1.jsonl`), 'utf8').trim().split('\n').length, 2);
    } finally {
      await server.close();
    }
  });
});
