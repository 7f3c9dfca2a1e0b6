import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Conversation } from '../../../src/core/agents/conversation';
import { ConfigError, loadConfigFile } from '../../../src/core/build/config';
import { shownBuildStatus, shownTaskStatus } from '../../../src/core/build/shownStatus';
import { BlobStore, sha256 } from '../../../src/core/state/blobs';
import type { BuildState } from '../../../src/core/state/buildState';
import { Checkpoints } from '../../../src/core/state/checkpoints';
import { writeFileAtomic } from '../../../src/core/state/durableWrite';
import { StateCorruptError, StateDamagedError } from '../../../src/core/state/errors';
import { JsonDocument } from '../../../src/core/state/jsonDocument';
import { describeJsonError } from '../../../src/core/state/jsonErrors';
import { JsonLinesWriter, readJsonLines } from '../../../src/core/state/jsonLines';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'munero-recovery-'));

function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return describeJsonError(text, err);
  }
  throw new Error('parsed');
}

describe('state recovery parts', () => {
  it('a JSON error is placed by line and column, also where V8 names only the token', () => {
    assert.equal(parseError('{"a": 1,\n  "b" 2}'), 'line 2, column 7: Unexpected number');
    assert.equal(parseError('{"a":\n'), 'line 2, column 1: Unexpected end of JSON input');
    assert.equal(parseError('{\n  "x": [1, 2],\n  "y": ]}{"er", "zzzzzzzzzzzzzzzzzzzz": 1}'), "line 3, column 8: Unexpected token ']'");
    assert.equal(parseError('{"aaaaaaaaaaaaaaaa": 1, "b": ]}'), "line 1, column 30: Unexpected token ']'");
    assert.equal(parseError('\0\0\0'), 'the file holds only zero bytes');
    assert.equal(parseError(''), 'the file is empty');
  });

  it('.munero/config.json with broken JSON is reported by line and column, with what to do', () => {
    const file = path.join(tmp(), 'config.json');
    fs.writeFileSync(file, '{\n  "model": "m",\n  "parallel": 2,,\n}\n');
    assert.throws(
      () => loadConfigFile(file),
      (err: unknown) => err instanceof ConfigError && err.message === `${file} is not valid JSON (line 3, column 17: Expected double-quoted property name). Fix it, or delete it to use the defaults.`,
    );
  });

  it('a torn last line is dropped with a note; a complete line that does not parse is skipped with a note, or refused without one', () => {
    const file = path.join(tmp(), 'events.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":');
    const notes: string[] = [];
    assert.deepEqual(readJsonLines(file, (n) => notes.push(n)), [{ a: 1 }, { a: 2 }]);
    assert.deepEqual(notes, [`${file}: line 3 was cut short (a write lost in a crash or power loss) and is ignored; the 2 lines before it are intact.`]);

    fs.writeFileSync(file, '{"a":1}\n{"a"\u0001}\n');
    notes.length = 0;
    assert.deepEqual(readJsonLines(file, (n) => notes.push(n)), [{ a: 1 }]);
    assert.deepEqual(notes, [`${file}: 1 damaged line skipped (line 2); 1 line is read as usual.`]);
    assert.throws(() => readJsonLines(file), (err: unknown) => err instanceof StateDamagedError && err.message.startsWith(`${file}:2: this line is not JSON`));

    fs.writeFileSync(file, Buffer.alloc(40));
    notes.length = 0;
    assert.deepEqual(readJsonLines(file, (n) => notes.push(n)), []);
    assert.match(notes[0], /line 1 holds only zero bytes .* no complete line is left/);
    // Appending first cuts a torn tail, and says so.
    fs.writeFileSync(file, '{"a":1}\n{"a":');
    notes.length = 0;
    const writer = new JsonLinesWriter(file, (n) => notes.push(n));
    writer.append({ a: 2 });
    writer.close();
    assert.equal(fs.readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n');
    assert.deepEqual(notes, [`${file}: its last line was cut short (a write lost in a crash or power loss); the 5 bytes were removed before appending, so the fragment does not end up mid-file.`]);
  });

  it('a document of the wrong shape is moved aside like one that does not parse', () => {
    const file = path.join(tmp(), 'current.json');
    fs.writeFileSync(file, '[1, 2]\n');
    const check = (d: unknown) => (Array.isArray(d) ? 'it names no build' : undefined);
    assert.throws(
      () => new JsonDocument(file, {}, check),
      (err: unknown) => err instanceof StateCorruptError && err.reason === 'it names no build' && fs.readFileSync(err.movedTo, 'utf8') === '[1, 2]\n',
    );
  });

  it('a durable write replaces the file whole and leaves no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'build.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(dir), ['build.json']);
  });

  it('a paused build shows its task as paused, a dead one as interrupted, and a rolled-back one says so first', () => {
    const s = { status: 'paused', stopReason: 'interrupted by the user', tasks: {} } as unknown as BuildState;
    assert.equal(shownTaskStatus(s, 'running', false), 'paused');
    assert.equal(shownTaskStatus({ ...s, status: 'running' }, 'running', false), 'interrupted');
    assert.equal(shownTaskStatus({ ...s, status: 'running' }, 'running', true), 'running');
    assert.equal(shownTaskStatus(s, 'done', false), 'done');
    const verified = { ...s, status: 'verified', stopReason: 'every task is done', rolledBack: { checkpoint: 'start', at: 'T', files: 2, undo: 'before-rollback-1' } } as BuildState;
    assert.equal(
      shownBuildStatus(verified, false),
      'files rolled back to checkpoint "start" at T (2 files); undo with `munero rollback before-rollback-1`. Before the rollback the build was verified — every task is done; the verdicts below describe the files as they were then',
    );
  });

  it('a damaged blob is repaired from a workspace file with the same bytes, else named with its file and checkpoint', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'a.txt'), 'original\n');
    const blobs = new BlobStore(path.join(root, '.munero', 'blobs'));
    const notes: string[] = [];
    const checkpoints = new Checkpoints(path.join(root, '.munero', 'checkpoints'), blobs, root, { note: (n) => notes.push(n) });
    checkpoints.recordOriginal('a.txt');
    const blob = blobs.file(sha256('original\n'));
    fs.writeFileSync(blob, Buffer.alloc(9));
    assert.equal(checkpoints.contentAt('start', 'a.txt')?.toString(), 'original\n');
    assert.deepEqual(notes, [`${blob} was damaged; it was repaired from a.txt, which still holds the same bytes.`]);
    assert.equal(fs.readFileSync(blob, 'utf8'), 'original\n');

    fs.writeFileSync(path.join(root, 'a.txt'), 'changed since\n');
    fs.writeFileSync(blob, 'origi');
    assert.throws(
      () => checkpoints.contentAt('start', 'a.txt'),
      (err: unknown) => err instanceof StateDamagedError && err.file === blob && /are damaged \(5 bytes .*\)\. It held a\.txt as it was at checkpoint "start"; Munero cannot restore that version/.test((err as Error).message),
    );
  });

  it("a damaged line mid-conversation is refused, naming the file and how the agent's attempt starts over; a torn last line is dropped", () => {
    const file = path.join(tmp(), 'coder-T1-a1.jsonl');
    fs.writeFileSync(file, '{"kind":"user","text":"do it"}\n{"kind":"assistant","content":[{"type":"text","text":"ok"}]}\n{"kind":"user","text":"more"');
    assert.equal(new Conversation(file).messages.length, 2);
    fs.writeFileSync(file, '{"kind":"user","text":"do it"}\n{"kind":\u0001\n{"kind":"user","text":"more"}\n');
    assert.throws(
      () => new Conversation(file),
      (err: unknown) => err instanceof StateDamagedError && err.message === `${file}:2: this line is not JSON, so the file is damaged. An agent's conversation cannot skip a line; move ${file} away and resume again: that agent's attempt then starts over (the changes it already made stay, and are in the change log).`,
    );
  });
});
