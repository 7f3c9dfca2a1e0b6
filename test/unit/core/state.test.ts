import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../../../src/core/state/blobs';
import { Checkpoints } from '../../../src/core/state/checkpoints';
import { BuildLockedError, StateCorruptError } from '../../../src/core/state/errors';
import { JsonDocument } from '../../../src/core/state/jsonDocument';
import { JsonLinesWriter, readJsonLines } from '../../../src/core/state/jsonLines';
import { WorkspaceLock } from '../../../src/core/state/lock';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'munero-state-'));

describe('state', () => {
  it('a JSON document survives reopening and writes atomically', () => {
    const file = path.join(tmp(), 'doc.json');
    new JsonDocument(file, { n: 0 }).update((d) => (d.n = 5));
    assert.equal(new JsonDocument(file, { n: 0 }).data.n, 5);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['doc.json']);
  });

  it('a corrupted document is moved aside with a clear error, never reset', () => {
    const dir = tmp();
    const file = path.join(dir, 'build.json');
    fs.writeFileSync(file, '{"status": "running", ');
    assert.throws(
      () => new JsonDocument(file, { status: 'fresh' }),
      (err: unknown) => err instanceof StateCorruptError && err.message.includes(file) && err.message.includes('moved to'),
    );
    assert.equal(fs.existsSync(file), false);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('build.json.corrupt-'));
    assert.ok(aside);
    assert.equal(fs.readFileSync(path.join(dir, aside), 'utf8'), '{"status": "running", ');
  });

  it('JSON lines skip a torn last line but report a broken middle line', () => {
    const file = path.join(tmp(), 'e.jsonl');
    const w = new JsonLinesWriter(file);
    w.append({ a: 1 });
    w.append({ a: 2 });
    w.close();
    fs.appendFileSync(file, '{"a": 3');
    assert.deepEqual(readJsonLines(file), [{ a: 1 }, { a: 2 }]);
    // Appending after a torn line first cuts the fragment, so it never ends up mid-file.
    const again = new JsonLinesWriter(file);
    again.append({ a: 4 });
    again.close();
    assert.deepEqual(readJsonLines(file), [{ a: 1 }, { a: 2 }, { a: 4 }]);
    fs.writeFileSync(file, '{"a":1}\nnope\n{"a":2}\n');
    assert.throws(() => readJsonLines(file), /e\.jsonl:2/);
  });

  it('the lock refuses a second holder, an unreadable lock, and takes over a dead one', () => {
    const file = path.join(tmp(), 'lock');
    const first = new WorkspaceLock(file);
    first.acquire('b1');
    assert.throws(() => new WorkspaceLock(file).acquire('b2'), (e: unknown) => e instanceof BuildLockedError && /b1/.test((e as Error).message));
    first.release();
    fs.writeFileSync(file, '');
    assert.throws(() => new WorkspaceLock(file).acquire('b2'), /cannot be read/);
    fs.rmSync(file);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(file, JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), buildId: 'old', startedAt: '' }));
    new WorkspaceLock(file).acquire('b3');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).buildId, 'b3');
  });

  it('checkpoints restore bytes and modes exactly, and remove files the build created', () => {
    const ws = tmp();
    const stateDir = tmp();
    const binary = Buffer.from([0, 1, 2, 255, 10, 13, 10]);
    fs.writeFileSync(path.join(ws, 'data.bin'), binary);
    fs.writeFileSync(path.join(ws, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const cps = new Checkpoints(path.join(stateDir, 'cp'), new BlobStore(path.join(stateDir, 'blobs')), ws);
    for (const f of ['data.bin', 'run.sh', 'new/file.txt']) cps.recordOriginal(f);
    fs.writeFileSync(path.join(ws, 'data.bin'), 'changed');
    fs.writeFileSync(path.join(ws, 'run.sh'), 'changed', { mode: 0o644 });
    fs.chmodSync(path.join(ws, 'run.sh'), 0o644);
    fs.mkdirSync(path.join(ws, 'new'));
    fs.writeFileSync(path.join(ws, 'new/file.txt'), 'created');
    cps.create('iter-1');
    fs.writeFileSync(path.join(ws, 'new/file.txt'), 'created, then changed');

    cps.restore('iter-1');
    assert.equal(fs.readFileSync(path.join(ws, 'new/file.txt'), 'utf8'), 'created');
    cps.restore('start');
    assert.deepEqual(fs.readFileSync(path.join(ws, 'data.bin')), binary);
    assert.equal(fs.statSync(path.join(ws, 'run.sh')).mode & 0o777, 0o755);
    assert.equal(fs.existsSync(path.join(ws, 'new/file.txt')), false);
    assert.throws(() => cps.restore('nope'), /No checkpoint named "nope"/);
  });
});
