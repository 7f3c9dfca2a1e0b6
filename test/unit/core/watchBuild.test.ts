import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildManager, describeLockHolder, type MuneroEvent } from '../../../src/core';
import { WorkspaceLock } from '../../../src/core/state/lock';

/** A workspace whose lock a live process holds (this test's parent) for build b-1, with the log's first lines. */
function heldWorkspace(lines: string): { root: string; log: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-watch-'));
  fs.mkdirSync(path.join(root, '.munero', 'builds', 'b-1'), { recursive: true });
  fs.writeFileSync(path.join(root, '.munero', 'lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), buildId: 'b-1', startedAt: new Date().toISOString(), program: 'a test' }));
  const log = path.join(root, '.munero', 'builds', 'b-1', 'events.jsonl');
  fs.writeFileSync(log, lines);
  return { root, log };
}

const line = (seq: number, body: object) => JSON.stringify({ ...body, seq, at: new Date().toISOString() }) + '\n';
const started = line(1, { type: 'build.started', buildId: 'b-1', specPath: 'SPEC.md', requirementIds: ['R1'], resumed: false });
const finished = (seq: number) => line(seq, { type: 'build.finished', buildId: 'b-1', outcome: 'verified', summary: 'done', unmet: [] });

describe('watching a build log', () => {
  it('waits out a torn last line until its writer completes it, and ends at the build’s end', async () => {
    const logLine = line(2, { type: 'log', level: 'info', message: 'half written' });
    const { root, log } = heldWorkspace(started + logLine.slice(0, 20));
    const manager = new BuildManager({ workspaceRoot: root });
    const seen: MuneroEvent[] = [];
    manager.bus.events$.subscribe((e) => seen.push(e));
    const watching = manager.watch({ pollMs: 10 });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(seen.map((e) => e.seq), [1], 'the torn line is held back');
    fs.appendFileSync(log, logLine.slice(20) + finished(3));
    const end = await watching;
    assert.deepEqual(end.kind === 'finished' && [end.buildId, end.outcome], ['b-1', 'verified']);
    assert.deepEqual(seen.map((e) => e.type), ['build.started', 'log', 'build.finished']);
  });

  it('skips a damaged line with a note for the user, and says "gone" when the lock is let go without an end', async () => {
    const { root, log } = heldWorkspace(started + 'garbage\n' + line(3, { type: 'log', level: 'info', message: 'after' }));
    const manager = new BuildManager({ workspaceRoot: root });
    const seen: MuneroEvent[] = [];
    manager.bus.events$.subscribe((e) => seen.push(e));
    const watching = manager.watch({ pollMs: 10 });
    await new Promise((r) => setTimeout(r, 100));
    fs.rmSync(path.join(root, '.munero', 'lock'));
    const end = await watching;
    assert.equal(end.kind, 'gone');
    assert.deepEqual(seen.map((e) => e.seq), [1, 3]);
    assert.deepEqual(manager.stateNotes(), [`${log}:2: this line is not JSON, so the file is damaged; it is skipped and the lines after it are read as usual.`]);
  });

  it('a resumed build: joins its current run with the plan it works to, and ends at this run’s end, not the last one’s', async () => {
    const plan = line(2, { type: 'plan.accepted', version: 1, tasks: [{ id: 'T1', title: 't', requirements: ['R1'], dependsOn: [] }] });
    const paused = line(3, { type: 'build.finished', buildId: 'b-1', outcome: 'paused', summary: 'interrupted', unmet: ['R1'] });
    const resumed = line(4, { type: 'build.started', buildId: 'b-1', specPath: 'SPEC.md', requirementIds: ['R1'], resumed: true });
    const { root, log } = heldWorkspace(started + plan + paused + resumed);
    for (const fromSeq of [undefined, 0]) {
      const manager = new BuildManager({ workspaceRoot: root });
      const seen: number[] = [];
      manager.bus.events$.subscribe((e) => seen.push(e.seq));
      const watching = manager.watch({ pollMs: 10, fromSeq });
      await new Promise((r) => setTimeout(r, 60));
      if (fromSeq === undefined) fs.appendFileSync(log, finished(5));
      const end = await watching;
      assert.deepEqual(end.kind === 'finished' && end.outcome, 'verified', `from ${fromSeq}`);
      assert.deepEqual(seen, fromSeq === undefined ? [2, 4, 5] : [1, 2, 3, 4, 5]);
    }
  });

  it('stops on abort, leaving the build alone', async () => {
    const { root } = heldWorkspace(started);
    const manager = new BuildManager({ workspaceRoot: root });
    const stop = new AbortController();
    const watching = manager.watch({ signal: stop.signal, pollMs: 10 });
    stop.abort();
    assert.equal((await watching).kind, 'stopped');
    assert.ok(fs.existsSync(path.join(root, '.munero', 'lock')));
  });
});

describe('the lock names its holder', () => {
  it('with program and spec, amended whole once a resumed build knows its spec; only by its holder', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-lock-')), 'lock');
    const lock = new WorkspaceLock(file);
    lock.acquire('b-7', { program: 'the munero CLI' });
    new WorkspaceLock(file).amend({ specPath: 'NOT-MINE.md' });
    assert.equal(lock.read()?.specPath, undefined, 'a process that does not hold the lock cannot change it');
    lock.amend({ specPath: 'specs/app.md' });
    const holder = lock.read()!;
    assert.deepEqual([holder.buildId, holder.program, holder.specPath, holder.pid], ['b-7', 'the munero CLI', 'specs/app.md', process.pid]);
    assert.match(describeLockHolder(holder), new RegExp(`^build b-7 of specs/app\\.md by the munero CLI \\(pid ${process.pid} on ${os.hostname()}\\), since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
    assert.match(describeLockHolder({ pid: 1, host: 'h', buildId: 'b-0', startedAt: '' }), /^build b-0 by another process \(pid 1 on h\)$/, 'an older lock without the new fields');
    lock.release();
  });
});
