import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { executeTool } from '../../../src/core/tools/executeTool';
import type { ToolOutcome } from '../../../src/core/tools/types';
import { testWorkspace, writeTree, type TestWorkspace } from './helpers';

const content = (o: ToolOutcome) => (o.ok ? o.content : assert.fail(o.error));
const error = (o: ToolOutcome) => (o.ok ? assert.fail(o.content) : o.error);

describe('search_files', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace();
    writeTree(ws.root, {
      'src/a.ts': 'export function parse() {}\nconst x = 1;\n',
      'src/b.ts': 'function parseAll() {}\r\n',
      'README.md': 'Call parse() first.\n',
      'node_modules/lib/index.js': 'function parse() {}\n',
      '.git/config': 'parse\n',
      '.munero/notes': 'parse\n',
      'bin.dat': Buffer.concat([Buffer.from('function parse\n'), Buffer.from([0])]),
    });
  });
  afterEach(() => ws.cleanup());

  it('finds matching lines as path:line: text, skipping ignored dirs and binaries', async () => {
    const out = content(await executeTool('search_files', { pattern: 'function\\s+parse' }, ws.ctx));
    assert.equal(out, 'src/a.ts:1: export function parse() {}\nsrc/b.ts:1: function parseAll() {}');
  });

  it('searches under a path, or a single file', async () => {
    assert.equal(content(await executeTool('search_files', { pattern: 'parse', path: 'README.md' }, ws.ctx)), 'README.md:1: Call parse() first.');
    assert.match(content(await executeTool('search_files', { pattern: 'const', path: 'src' }, ws.ctx)), /^src\/a\.ts:2: const x = 1;$/);
  });

  it('searches pending content', async () => {
    ws.changes.pending.set('src/a.ts', 'nothing\nparse here\n');
    const out = content(await executeTool('search_files', { pattern: 'parse here' }, ws.ctx));
    assert.equal(out, 'src/a.ts:2: parse here');
  });

  it('skips files over the read limit', async () => {
    ws.ctx.limits.maxReadBytes = 30;
    writeTree(ws.root, { 'big.txt': 'needle\n' + 'x'.repeat(100) });
    assert.match(content(await executeTool('search_files', { pattern: 'needle' }, ws.ctx)), /No matches/);
  });

  it('caps matches and says so', async () => {
    ws.ctx.limits.maxListEntries = 3;
    writeTree(ws.root, { 'many.txt': 'hit\n'.repeat(10) });
    const out = content(await executeTool('search_files', { pattern: '^hit$' }, ws.ctx));
    assert.equal(out.split('\n').filter((l) => l.startsWith('many.txt:')).length, 3);
    assert.match(out, /Stopped after 3 matches/);
  });

  it('reports no matches', async () => {
    assert.match(content(await executeTool('search_files', { pattern: 'zzz' }, ws.ctx)), /No matches for \/zzz\//);
  });

  it('names an invalid regular expression', async () => {
    assert.match(error(await executeTool('search_files', { pattern: 'foo(' }, ws.ctx)), /Invalid regular expression "foo\(":/);
  });

  it('does not follow symlinks out of the workspace', async () => {
    writeTree(ws.outside, { 'secret.txt': 'needle\n' });
    fs.symlinkSync(ws.outside, path.join(ws.root, 'linkdir'));
    fs.symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'linkfile'));
    assert.match(content(await executeTool('search_files', { pattern: 'needle' }, ws.ctx)), /No matches/);
    assert.match(error(await executeTool('search_files', { pattern: 'needle', path: 'linkdir' }, ws.ctx)), /symbolic link/);
  });
});
