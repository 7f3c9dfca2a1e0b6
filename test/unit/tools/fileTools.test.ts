import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { executeTool } from '../../../src/core/tools/executeTool';
import type { ToolContext, ToolOutcome } from '../../../src/core/tools/types';
import { testWorkspace, writeTree, type TestWorkspace } from './helpers';

const ok = (outcome: ToolOutcome): string => {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  return outcome.content;
};
const err = (outcome: ToolOutcome): string => {
  assert.ok(!outcome.ok, outcome.ok ? `expected an error, got: ${outcome.content}` : '');
  return outcome.error;
};

describe('file tools', () => {
  let ws: TestWorkspace;
  let ctx: ToolContext;
  beforeEach(() => {
    ws = testWorkspace();
    ctx = ws.ctx;
  });
  afterEach(() => ws.cleanup());

  describe('list_files', () => {
    it('lists recursively, sorted, directories marked, skipping .git, node_modules and .munero', async () => {
      writeTree(ws.root, {
        'b.txt': '',
        'a/z.ts': '',
        'a/deep/y.ts': '',
        '.git/HEAD': '',
        'node_modules/x/index.js': '',
        'pkg/node_modules/y/index.js': '',
        '.munero/config.json': '',
        '.gitignore': '',
      });
      const out = ok(await executeTool('list_files', {}, ctx));
      assert.equal(out, ['.gitignore', 'a/', 'a/deep/', 'a/deep/y.ts', 'a/z.ts', 'b.txt', 'pkg/'].join('\n'));
    });

    it('lists a subdirectory with workspace-relative paths', async () => {
      writeTree(ws.root, { 'a/z.ts': '', 'a/deep/y.ts': '', 'b.txt': '' });
      assert.equal(ok(await executeTool('list_files', { path: 'a' }, ctx)), 'a/deep/\na/deep/y.ts\na/z.ts');
    });

    it('caps the listing breadth-first and says so', async () => {
      ctx.limits.maxListEntries = 5;
      const files: Record<string, string> = { 'top1.txt': '', 'top2.txt': '' };
      for (let i = 0; i < 20; i++) files[`deep/f${String(i).padStart(2, '0')}.txt`] = '';
      writeTree(ws.root, files);
      const out = ok(await executeTool('list_files', {}, ctx));
      const entries = out.split('\n').filter((l) => !l.startsWith('['));
      assert.equal(entries.length, 5);
      assert.ok(entries.includes('top1.txt') && entries.includes('top2.txt') && entries.includes('deep/'));
      assert.match(out, /truncated at 5 entries/);
    });

    it('does not follow symlinks', async () => {
      writeTree(ws.outside, { 'secret.txt': '' });
      fs.symlinkSync(ws.outside, path.join(ws.root, 'link'));
      assert.equal(ok(await executeTool('list_files', {}, ctx)), 'link');
    });

    it('errors on a missing directory, a file, and an escape', async () => {
      writeTree(ws.root, { 'f.txt': '' });
      assert.match(err(await executeTool('list_files', { path: 'nope' }, ctx)), /not found/);
      assert.match(err(await executeTool('list_files', { path: 'f.txt' }, ctx)), /is a file/);
      assert.match(err(await executeTool('list_files', { path: '../outside' }, ctx)), /outside the workspace/);
    });

    it('says when the workspace is empty', async () => {
      assert.match(ok(await executeTool('list_files', {}, ctx)), /empty/);
    });
  });

  describe('read_file', () => {
    beforeEach(() => writeTree(ws.root, { 'src/a.ts': 'one\ntwo\r\nthree\n' }));

    it('numbers lines', async () => {
      const out = ok(await executeTool('read_file', { path: 'src/a.ts' }, ctx));
      assert.equal(out, '[src/a.ts: lines 1-3 of 3]\n   1| one\n   2| two\n   3| three');
    });

    it('reads an inclusive 1-based range, clamping the end', async () => {
      assert.equal(ok(await executeTool('read_file', { path: 'src/a.ts', start_line: 2, end_line: 2 }, ctx)), '[src/a.ts: lines 2-2 of 3]\n   2| two');
      assert.match(ok(await executeTool('read_file', { path: 'src/a.ts', start_line: 3, end_line: 99 }, ctx)), /lines 3-3 of 3\]\n {3}3\| three$/);
    });

    it('rejects impossible ranges', async () => {
      assert.match(err(await executeTool('read_file', { path: 'src/a.ts', start_line: 9 }, ctx)), /past the end.*3 lines/);
      assert.match(err(await executeTool('read_file', { path: 'src/a.ts', start_line: 3, end_line: 2 }, ctx)), /before start_line/);
    });

    it('reads the pending content when the changes layer has one', async () => {
      ws.changes.pending.set('src/a.ts', 'pending\n');
      assert.match(ok(await executeTool('read_file', { path: 'src/a.ts' }, ctx)), /pending change[^\n]*\n {3}1\| pending$/);
    });

    it('refuses binary files', async () => {
      writeTree(ws.root, { 'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) });
      assert.match(err(await executeTool('read_file', { path: 'img.png' }, ctx)), /binary/);
    });

    it('refuses oversized files whole, suggesting a line range, and serves a range of them', async () => {
      ctx.limits.maxReadBytes = 1_000;
      const lines = Array.from({ length: 500 }, (_, i) => `line ${i + 1}`);
      writeTree(ws.root, { 'big.log': lines.join('\n') + '\n' });
      assert.match(err(await executeTool('read_file', { path: 'big.log' }, ctx)), /read limit.*start_line and end_line/s);
      const out = ok(await executeTool('read_file', { path: 'big.log', start_line: 250, end_line: 251 }, ctx));
      assert.equal(out, '[big.log: lines 250-251 (file continues)]\n 250| line 250\n 251| line 251');
      const tail = ok(await executeTool('read_file', { path: 'big.log', start_line: 499 }, ctx));
      assert.equal(tail, '[big.log: lines 499-500 of 500]\n 499| line 499\n 500| line 500');
    });

    it('errors on missing files, directories and escapes', async () => {
      assert.match(err(await executeTool('read_file', { path: 'nope.ts' }, ctx)), /not found/);
      assert.match(err(await executeTool('read_file', { path: 'src' }, ctx)), /directory/);
      writeTree(ws.outside, { 'secret.txt': 'secret' });
      fs.symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'secret.txt'));
      const refusal = err(await executeTool('read_file', { path: 'secret.txt' }, ctx));
      assert.match(refusal, /symbolic link/);
      assert.doesNotMatch(refusal, /secret$/);
    });
  });

  describe('write_file', () => {
    it('proposes the content and never writes the disk itself', async () => {
      ws.changes.mode = 'pending';
      const out = ok(await executeTool('write_file', { path: 'src/new.ts', content: 'héllo' }, ctx));
      assert.match(out, /Created src\/new\.ts \(6 bytes\)/);
      assert.match(out, /pending review/);
      assert.deepEqual(ws.changes.proposals, [{ path: 'src/new.ts', content: 'héllo', tool: 'write_file' }]);
      assert.equal(fs.existsSync(path.join(ws.root, 'src/new.ts')), false);
      assert.match(ok(await executeTool('read_file', { path: 'src/new.ts' }, ctx)), /1\| héllo/);
    });

    it('says created or updated, and applied', async () => {
      assert.match(ok(await executeTool('write_file', { path: 'a.txt', content: 'x' }, ctx)), /^Created a\.txt.*applied/);
      assert.match(ok(await executeTool('write_file', { path: 'a.txt', content: 'y' }, ctx)), /^Updated a\.txt.*applied/);
      assert.equal(fs.readFileSync(path.join(ws.root, 'a.txt'), 'utf8'), 'y');
    });

    it('turns a rejection into an error with its reason', async () => {
      ws.changes.mode = 'reject';
      assert.match(err(await executeTool('write_file', { path: 'a.txt', content: 'x' }, ctx)), /rejected: the reviewer said no/);
    });

    it('refuses .git/, .munero/, escapes, absolute paths and symlinked directories', async () => {
      fs.symlinkSync(ws.outside, path.join(ws.root, 'link'));
      const cases: Array<[string, RegExp]> = [
        ['.git/hooks/pre-commit', /\.git/],
        ['.munero/config.json', /\.munero/],
        ['../outside/x.txt', /outside the workspace/],
        [path.join(ws.outside, 'x.txt'), /absolute/],
        ['link/new.txt', /symbolic link/],
      ];
      for (const [p, reason] of cases) assert.match(err(await executeTool('write_file', { path: p, content: 'x' }, ctx)), reason, p);
      assert.equal(ws.changes.proposals.length, 0);
      assert.deepEqual(fs.readdirSync(ws.outside), []);
    });
  });

  describe('edit_file', () => {
    beforeEach(() => writeTree(ws.root, { 'src/a.ts': 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n' }));

    it('replaces the one occurrence and proposes the whole new content', async () => {
      const out = ok(await executeTool('edit_file', { path: 'src/a.ts', old_text: 'const b = 2;', new_text: 'const b = $&3;' }, ctx));
      assert.match(out, /Edited src\/a\.ts: replaced 1 line\(s\) starting at line 2/);
      assert.deepEqual(ws.changes.proposals, [{ path: 'src/a.ts', content: 'const a = 1;\nconst b = $&3;\nconst a2 = 1;\n', tool: 'edit_file' }]);
    });

    it('errors when old_text is not found, pointing at the closest line', async () => {
      const msg = err(await executeTool('edit_file', { path: 'src/a.ts', old_text: '  const b = 2;', new_text: 'x' }, ctx));
      assert.match(msg, /not found/);
      assert.match(msg, /line 2: "const b = 2;"/);
      assert.equal(ws.changes.proposals.length, 0);
    });

    it('errors when old_text occurs more than once, with the count and lines', async () => {
      const msg = err(await executeTool('edit_file', { path: 'src/a.ts', old_text: ' = 1;', new_text: ' = 9;' }, ctx));
      assert.match(msg, /occurs 2 times/);
      assert.match(msg, /lines 1, 3/);
    });

    it('edits the pending content, not the disk', async () => {
      ws.changes.pending.set('src/a.ts', 'pending text\n');
      ok(await executeTool('edit_file', { path: 'src/a.ts', old_text: 'pending', new_text: 'edited' }, ctx));
      assert.equal(ws.changes.proposals[0]!.content, 'edited text\n');
    });

    it('matches CRLF files quoted with plain newlines', async () => {
      writeTree(ws.root, { 'win.txt': 'one\r\ntwo\r\nthree\r\n' });
      ok(await executeTool('edit_file', { path: 'win.txt', old_text: 'one\ntwo', new_text: 'uno\ndos' }, ctx));
      assert.equal(fs.readFileSync(path.join(ws.root, 'win.txt'), 'utf8'), 'uno\r\ndos\r\nthree\r\n');
    });

    it('errors on missing files, no-op edits, non-UTF-8 files and .git', async () => {
      assert.match(err(await executeTool('edit_file', { path: 'nope.ts', old_text: 'a', new_text: 'b' }, ctx)), /not found.*write_file/);
      assert.match(err(await executeTool('edit_file', { path: 'src/a.ts', old_text: 'a', new_text: 'a' }, ctx)), /same/);
      writeTree(ws.root, { 'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]) });
      assert.match(err(await executeTool('edit_file', { path: 'latin1.txt', old_text: 'caf', new_text: 'tea' }, ctx)), /UTF-8/);
      writeTree(ws.root, { '.git/config': '[core]' });
      assert.match(err(await executeTool('edit_file', { path: '.git/config', old_text: 'core', new_text: 'x' }, ctx)), /\.git/);
    });
  });
});
