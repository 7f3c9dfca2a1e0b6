import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { specOf } from './brainHelpers';
import { makeWorkspace, managerFor, planTurn, readEvents, repoRoot, serve, tool } from './helpers';

const ADD = 'exports.add = (a, b) => a + b;\n';
const MUL = 'exports.mul = (a, b) => a * b;\n';
const ADD_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add');\ntest('adds', () => assert.strictEqual(add(2, 3), 5));\n";
// Running T2's test deletes legacy.txt, as a test cleaning up a fixture would: a deleted file for the diff.
const MUL_TEST = "const test = require('node:test');\nconst assert = require('node:assert');\nconst fs = require('node:fs');\nconst { mul } = require('./mul');\ntest('multiplies', () => { fs.rmSync('legacy.txt', { force: true }); assert.strictEqual(mul(4, 5), 20); });\n";
const SPEC = specOf(['`add(a, b)` in add.js returns the sum of two numbers.', '`mul(a, b)` in mul.js returns the product of two numbers.']);

const PLAN = planTurn([
  { id: 'T1', title: 'add', description: 'add.js and its test', requirements: ['R1'], depends_on: [], files: ['add.js', 'add.test.js'] },
  { id: 'T2', title: 'mul', description: 'mul.js and its test', requirements: ['R2'], depends_on: ['T1'], files: ['mul.js', 'mul.test.js'] },
]);
const t1Attempt = () => [
  { agent: 'coder', task: 'T1', content: [tool('write_file', { path: 'add.js', content: ADD }), tool('write_file', { path: 'add.test.js', content: ADD_TEST })] },
  { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'add done' })] },
];
const t2Attempt = () => [
  { agent: 'coder', task: 'T2', content: [tool('write_file', { path: 'mul.js', content: MUL }), tool('write_file', { path: 'mul.test.js', content: MUL_TEST })] },
  { agent: 'coder', task: 'T2', content: [tool('task_complete', { summary: 'mul done' })] },
];

const read = (ws: string, rel: string) => (fs.existsSync(path.join(ws, rel)) ? fs.readFileSync(path.join(ws, rel), 'utf8') : null);

/** A verified two-task build: T1 writes add.js, T2 writes mul.js and its test deletes legacy.txt. */
async function builtWorkspace(): Promise<string> {
  const workspace = makeWorkspace({ 'SPEC.md': SPEC, 'legacy.txt': 'old notes\n' });
  const server = await serve([PLAN, ...t1Attempt(), ...t2Attempt()]);
  try {
    const { manager } = managerFor(workspace, server);
    const result = await manager.start('SPEC.md');
    assert.equal(result.outcome, 'verified', result.reason);
    return workspace;
  } finally {
    await server.close();
  }
}

describe('checkpoints you can return to', function () {
  this.timeout(120_000);
  let built: string;
  before(async () => {
    built = await builtWorkspace();
  });

  /** A copy of the built workspace, so each test starts from the same finished build (the spec path in it stays the original's). */
  function copyOfBuild(): string {
    const copy = makeWorkspace();
    fs.cpSync(built, copy, { recursive: true });
    return copy;
  }

  it('makes a checkpoint after every task that passed, with its files, and after every iteration', async () => {
    const server = await serve([]);
    try {
      const { manager } = managerFor(copyOfBuild(), server);
      const timeline = manager.timeline();
      assert.deepEqual(
        timeline.map((e) => [e.name, e.kind, e.taskId ?? null]),
        [
          ['start', 'start', null],
          ['task-T1-a1', 'task', 'T1'],
          ['task-T2-a1', 'task', 'T2'],
          ['iter-1', 'iteration', null],
        ],
      );
      assert.deepEqual(timeline[1].files, ['add.js', 'add.test.js']);
      assert.deepEqual(timeline[2].files, ['mul.js', 'mul.test.js']);
      assert.equal(timeline[1].attempt, 1);
      for (let i = 1; i < timeline.length; i++) assert.ok(timeline[i].at >= timeline[i - 1].at, 'in order of time');
      assert.deepEqual(manager.status()?.tasks.T2.checkpointBefore, 'task-T1-a1', 'T2 started on top of T1');
    } finally {
      await server.close();
    }
  });

  it('previews a restore, restores the files byte for byte, and undoes the restore', async () => {
    const workspace = copyOfBuild();
    const server = await serve([]);
    try {
      const { manager } = managerFor(workspace, server);
      const preview = manager.previewRestore('task-T1-a1');
      assert.deepEqual(
        preview.files.map((f) => [f.path, f.change]),
        [
          ['legacy.txt', 'created'],
          ['mul.js', 'deleted'],
          ['mul.test.js', 'deleted'],
        ],
      );
      assert.equal(preview.files[0].restored?.toString(), 'old notes\n');
      assert.match(preview.diff, /^--- a\/mul\.js\n\+\+\+ \/dev\/null\n/m);
      assert.equal(read(workspace, 'mul.js'), MUL, 'a preview changes nothing');

      const restored = manager.rollback('task-T1-a1');
      assert.deepEqual(restored.restored.sort(), ['legacy.txt', 'mul.js', 'mul.test.js']);
      assert.equal(read(workspace, 'mul.js'), null);
      assert.equal(read(workspace, 'legacy.txt'), 'old notes\n');
      assert.equal(read(workspace, 'add.js'), ADD);
      assert.equal(restored.undoCheckpoint, 'before-rollback-1');
      const undo = manager.timeline().at(-1)!;
      assert.deepEqual([undo.name, undo.kind, undo.target, undo.files], ['before-rollback-1', 'rollback', 'task-T1-a1', ['legacy.txt', 'mul.js', 'mul.test.js']]);
      assert.equal(manager.status()?.tasks.T2.status, 'done', 'files only: the task state stays');

      manager.rollback('before-rollback-1');
      assert.equal(read(workspace, 'mul.js'), MUL);
      assert.equal(read(workspace, 'mul.test.js'), MUL_TEST);
      assert.equal(read(workspace, 'legacy.txt'), null);
    } finally {
      await server.close();
    }
  });

  it('restores files and task state, so resume runs only the rewound task in a fresh attempt', async () => {
    const workspace = await builtWorkspace();
    const changesBefore = fs.readFileSync(changeLog(workspace), 'utf8');
    const server = await serve(t2Attempt());
    try {
      const { manager } = managerFor(workspace, server);
      const outcome = manager.rollback('task-T1-a1', { withState: true });
      assert.deepEqual(outcome.rewound?.reopened, ['T2']);
      const state = manager.status()!;
      assert.equal(state.status, 'paused');
      assert.equal(state.tasks.T1.status, 'done');
      assert.equal(state.tasks.T2.status, 'pending');
      assert.equal(state.iteration, 1);
      assert.equal(state.iterationOpen, true, 'T1 passed mid-iteration 1');
      assert.deepEqual(state.requirements.map((r) => r.verdict), ['unverified', 'unverified']);
      assert.equal(read(workspace, 'mul.js'), null);

      const result = await manager.resume();
      assert.equal(result.outcome, 'verified', result.reason);
      assert.deepEqual(server.rejected(), []);
      assert.deepEqual([...new Set(server.log.map((e) => `${e.agent}/${e.task}`))], ['coder/T2'], 'requests only for the rewound task');
      assert.deepEqual(server.remainingTurns(), []);
      const after = manager.status()!;
      assert.equal(after.tasks.T2.attempts, 2, 'a fresh attempt, not a replay of the undone one');
      assert.equal(read(workspace, 'mul.js'), MUL);

      const dir = path.join(workspace, '.munero', 'builds', after.id);
      assert.ok(fs.existsSync(path.join(dir, 'conversations', 'coder-T2-a1.jsonl')), 'the undone attempt is kept');
      assert.ok(fs.readFileSync(changeLog(workspace), 'utf8').startsWith(changesBefore), 'the change log only grew');
      assert.ok(readEvents(workspace).some((e) => e.type === 'log' && /task state rewound to iteration 1, T2 reopened/.test(e.message)));
      assert.deepEqual(manager.timeline().map((e) => e.name).slice(-3), ['before-rollback-1', 'task-T2-a2', 'iter-1']);
    } finally {
      await server.close();
    }
  });

  describe('munero diff (the real CLI)', () => {
    const cli = (workspace: string, ...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), 'diff', '--workspace', workspace, ...args], { cwd: repoRoot }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );

    it('--since start: every change as a git-style unified diff, created and deleted files included', async () => {
      const { code, stdout, stderr } = await cli(copyOfBuild());
      assert.equal(code, 0, stderr);
      const files = [...stdout.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]);
      assert.deepEqual(files, ['add.js', 'add.test.js', 'legacy.txt', 'mul.js', 'mul.test.js']);
      assert.ok(stdout.includes('diff --git a/add.js b/add.js\nnew file mode 100644\n--- /dev/null\n+++ b/add.js\n@@ -0,0 +1,1 @@\n+exports.add = (a, b) => a + b;\n'));
      assert.ok(stdout.includes('diff --git a/legacy.txt b/legacy.txt\ndeleted file mode 100644\n--- a/legacy.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old notes\n'));
    });

    it('--since a task checkpoint and --task: only the later changes, or only that task\'s files', async () => {
      const workspace = copyOfBuild();
      const since = await cli(workspace, '--since', 'task-T1-a1');
      assert.equal(since.code, 0, since.stderr);
      assert.deepEqual([...since.stdout.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]), ['legacy.txt', 'mul.js', 'mul.test.js']);

      const task = await cli(workspace, '--task', 'T1');
      assert.equal(task.code, 0, task.stderr);
      assert.deepEqual([...task.stdout.matchAll(/^diff --git a\/(\S+)/gm)].map((m) => m[1]), ['add.js', 'add.test.js']);
      assert.match(task.stdout, /^\+\+\+ b\/add\.test\.js$/m);
    });

    it('names the known tasks and checkpoints when given a wrong one', async () => {
      const workspace = copyOfBuild();
      const badTask = await cli(workspace, '--task', 'T9');
      assert.equal(badTask.code, 2);
      assert.match(badTask.stderr, /no task "T9"\. Known: T1, T2\./);
      const badCheckpoint = await cli(workspace, '--since', 'iter-7');
      assert.equal(badCheckpoint.code, 2);
      assert.match(badCheckpoint.stderr, /no checkpoint "iter-7"\. Known: start, task-T1-a1, task-T2-a1, iter-1\./);
    });
  });
});

function changeLog(workspace: string): string {
  const id = JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'current.json'), 'utf8')).buildId;
  return path.join(workspace, '.munero', 'builds', id, 'changes.jsonl');
}
