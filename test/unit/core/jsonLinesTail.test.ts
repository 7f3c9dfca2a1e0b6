import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonLinesWriter } from '../../../src/core/state/jsonLines';
import { JsonLinesTail } from '../../../src/core/state/jsonLinesTail';

function logFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-tail-')), 'events.jsonl');
}

describe('reading a log another process appends to', () => {
  it('waits for a file that does not exist yet, then reads only what is new', () => {
    const file = logFile();
    const tail = new JsonLinesTail(file);
    assert.deepEqual(tail.read(), { values: [], more: false });
    fs.writeFileSync(file, '{"seq":1}\n{"seq":2}\n');
    assert.deepEqual(tail.read().values, [{ seq: 1 }, { seq: 2 }]);
    assert.deepEqual(tail.read().values, []);
    fs.appendFileSync(file, '{"seq":3}\n');
    assert.deepEqual(tail.read().values, [{ seq: 3 }]);
  });

  it('holds back a line until its newline arrives, even split inside a multi-byte character', () => {
    const file = logFile();
    const tail = new JsonLinesTail(file);
    const line = Buffer.from('{"text":"é—ü"}\n');
    fs.writeFileSync(file, line.subarray(0, 10));
    assert.deepEqual(tail.read().values, []);
    fs.appendFileSync(file, line.subarray(10));
    assert.deepEqual(tail.read().values, [{ text: 'é—ü' }]);
  });

  it('follows a writer that cuts a torn tail back before appending again', () => {
    const file = logFile();
    fs.writeFileSync(file, '{"seq":1}\n{"seq":2,"ty');
    const tail = new JsonLinesTail(file);
    assert.deepEqual(tail.read().values, [{ seq: 1 }]);
    // A resumed build's writer drops the fragment (jsonLines.ts), then appends whole lines.
    const writer = new JsonLinesWriter(file);
    writer.append({ seq: 2 });
    writer.close();
    assert.deepEqual(tail.read().values, [{ seq: 2 }]);
  });

  it('starts over when the file is replaced by a shorter one', () => {
    const file = logFile();
    fs.writeFileSync(file, '{"seq":1}\n{"seq":2}\n{"seq":3}\n');
    const tail = new JsonLinesTail(file);
    assert.equal(tail.read().values.length, 3);
    fs.writeFileSync(file, '{"seq":9}\n');
    assert.deepEqual(tail.read().values, [{ seq: 9 }]);
  });

  it('skips a damaged line with a note when someone is told, and goes on', () => {
    const file = logFile();
    fs.writeFileSync(file, '{"seq":1}\ngarbage\n{"seq":2}\n');
    const notes: string[] = [];
    const tail = new JsonLinesTail(file, { chunkBytes: 1 << 20, maxLineBytes: 1024 }, (n) => notes.push(n));
    assert.deepEqual(tail.read().values, [{ seq: 1 }, { seq: 2 }]);
    assert.deepEqual(notes, [`${file}:2: this line is not JSON, so the file is damaged; it is skipped and the lines after it are read as usual.`]);
  });

  it('reads a long log in bounded chunks and refuses damage with the line number', () => {
    const file = logFile();
    fs.writeFileSync(file, Array.from({ length: 100 }, (_, i) => JSON.stringify({ seq: i + 1 })).join('\n') + '\n');
    const tail = new JsonLinesTail(file, { chunkBytes: 64, maxLineBytes: 1024 });
    const first = tail.read();
    assert.ok(first.more, 'more to read after one chunk');
    assert.ok(first.values.length < 100);
    let all = first.values;
    for (let next = tail.read(); ; next = tail.read()) {
      all = all.concat(next.values);
      if (!next.more) break;
    }
    assert.deepEqual(all.map((v) => (v as { seq: number }).seq), Array.from({ length: 100 }, (_, i) => i + 1));

    fs.appendFileSync(file, 'not json\n{"seq":101}\n');
    assert.throws(() => tail.read(), /events\.jsonl:101: this line is not JSON, so the file is damaged\. Delete that line/);
    const long = logFile();
    fs.writeFileSync(long, 'x'.repeat(2000));
    assert.throws(() => new JsonLinesTail(long, { chunkBytes: 4096, maxLineBytes: 1024 }).read(), /longer than 1024 bytes/);
  });
});
