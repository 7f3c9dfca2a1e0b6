import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { executeTool } from '../../../src/core/tools/executeTool';
import type { ToolOutcome } from '../../../src/core/tools/types';
import { testWorkspace, writeTree, type TestWorkspace } from './helpers';

const ok = (o: ToolOutcome) => (o.ok ? o.content : assert.fail(o.error));
const err = (o: ToolOutcome) => (o.ok ? assert.fail(o.content) : o.error);
const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

describe('list_files on real folders', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = testWorkspace()));
  afterEach(() => ws.cleanup());

  it('honours .gitignore files read on the way down, with negations, and says how much it hid', async () => {
    writeTree(ws.root, {
      '.gitignore': 'dist/\n*.log\n!keep.log\n',
      'dist/out.js': '',
      'a.log': '',
      'keep.log': '',
      'pkg/.gitignore': 'gen/\n',
      'pkg/gen/x.ts': '',
      'pkg/src.ts': '',
    });
    const out = ok(await executeTool('list_files', {}, ws.ctx));
    assert.equal(out, ['.gitignore', 'keep.log', 'pkg/', 'pkg/.gitignore', 'pkg/src.ts', '[3 entries matched by .gitignore are not shown.]'].join('\n'));
    // A subfolder listed on its own still obeys the .gitignore files above it.
    assert.equal(ok(await executeTool('list_files', { path: 'pkg' }, ws.ctx)), 'pkg/.gitignore\npkg/src.ts\n[1 entries matched by .gitignore are not shown.]');
  });

  it('stops reading a huge folder at the cap and names what it did not open', async () => {
    ws.ctx.limits.maxListEntries = 10;
    const files: Record<string, string> = { 'a/x.ts': '', 'b/y.ts': '' };
    for (let i = 0; i < 1500; i++) files[`huge/f${i}.txt`] = '';
    writeTree(ws.root, files);
    const out = ok(await executeTool('list_files', {}, ws.ctx));
    const entries = out.split('\n').filter((l) => !l.startsWith('['));
    assert.equal(entries.length, 10);
    assert.deepEqual(entries.slice(0, 3), ['a/', 'a/x.ts', 'b/']);
    assert.match(out, /\[Listing truncated at 10 entries \(breadth-first\): huge\/ holds more than shown\. List a subdirectory to see more\.\]$/);
    // Breadth-first: a's and b's files are listed before the huge folder is read.
    assert.ok(entries.includes('b/y.ts') && entries.includes('huge/'));
  });

  it('names unopened directories when the cap falls before them', async () => {
    ws.ctx.limits.maxListEntries = 3;
    writeTree(ws.root, { 'a/1': '', 'b/2': '', 'c/3': '' });
    const out = ok(await executeTool('list_files', {}, ws.ctx));
    assert.match(out, /\[Listing truncated at 3 entries \(breadth-first\): 3 directories were not opened \(a\/, b\/, c\/\)\. List a subdirectory to see more\.\]$/);
  });
});

describe('read_file ranges', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = testWorkspace()));
  afterEach(() => ws.cleanup());

  const read = async (input: Record<string, unknown>) => executeTool('read_file', { path: 'big.log', ...input }, ws.ctx);

  it('reads a range of a file over the read limit, seeking on later reads, and knows the total once it saw the end', async () => {
    ws.ctx.limits.maxReadBytes = 1_000;
    fs.writeFileSync(path.join(ws.root, 'big.log'), numbered(1, 5000).join('\n') + '\n');
    assert.equal(ok(await read({ start_line: 2500, end_line: 2501 })), '[big.log: lines 2500-2501 (file continues)]\n2500| line 2500\n2501| line 2501');
    assert.equal(ok(await read({ start_line: 4999 })), '[big.log: lines 4999-5000 of 5000]\n4999| line 4999\n5000| line 5000');
    // Earlier lines, read after later ones: from a remembered checkpoint, and now with the total.
    assert.equal(ok(await read({ start_line: 1001, end_line: 1001 })), '[big.log: lines 1001-1001 of 5000]\n1001| line 1001');
    assert.equal(ok(await read({ start_line: 3000, end_line: 3000 })), '[big.log: lines 3000-3000 of 5000]\n3000| line 3000');
    assert.match(err(await read({ start_line: 5001 })), /start_line 5001 is past the end of big\.log, which has 5000 lines/);
  });

  it('forgets what it knew of a file when the file changes', async () => {
    ws.ctx.limits.maxReadBytes = 1_000;
    const file = path.join(ws.root, 'big.log');
    fs.writeFileSync(file, numbered(1, 3000).join('\n') + '\n');
    ok(await read({ start_line: 2999 }));
    fs.writeFileSync(file, ['inserted', ...numbered(1, 3000)].join('\n') + '\n');
    assert.equal(ok(await read({ start_line: 2001, end_line: 2001 })), '[big.log: lines 2001-2001 (file continues)]\n2001| line 2000');
  });

  it('shows what fits one result and says where to continue', async () => {
    ws.ctx.limits.maxResultChars = 1_000;
    fs.writeFileSync(path.join(ws.root, 'big.log'), numbered(1, 400).join('\n'));
    const out = ok(await read({}));
    const last = Number(/^\[big\.log: lines 1-(\d+) of 400\]/.exec(out)![1]);
    assert.ok(last > 30 && last < 400);
    assert.ok(out.length <= 1_000);
    assert.match(out, new RegExp(`\\[Stopped after line ${last}: the size limit of one result was reached\\. Continue with start_line ${last + 1}\\.\\]$`));
    assert.match(ok(await read({ start_line: last + 1, end_line: last + 1 })), new RegExp(`\\| line ${last + 1}$`));
  });

  it('shows the start of a line too long for one result, and counts a last line without a newline', async () => {
    ws.ctx.limits.maxResultChars = 1_000;
    fs.writeFileSync(path.join(ws.root, 'big.log'), `short\r\n${'x'.repeat(5000)}\nlast`);
    const out = ok(await read({ start_line: 2 }));
    assert.match(out, /^\[big\.log: lines 2-2 of 3\]\n {3}2\| x+\n\[Line 2 is longer than the size limit of one result allows; only its start is shown\.\]$/);
    assert.equal(ok(await read({ start_line: 3 })), '[big.log: lines 3-3 of 3]\n   3| last');
    assert.equal(ok(await read({ end_line: 1 })), '[big.log: lines 1-1 of 3]\n   1| short');
  });
});
