import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { executeTool } from '../../../src/core/tools/executeTool';
import { findRipgrep } from '../../../src/core/tools/ripgrep';
import { toRustPattern } from '../../../src/core/tools/rustPattern';
import type { ToolOutcome } from '../../../src/core/tools/types';
import { isAlive, testWorkspace, waitFor, writeTree, type TestWorkspace } from './helpers';

const content = (o: ToolOutcome) => (o.ok ? o.content : assert.fail(o.error));
const error = (o: ToolOutcome) => (o.ok ? assert.fail(o.content) : o.error);

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function gitInit(root: string, force: string[]): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
  git('init', '-q');
  git('add', '-f', ...force);
}

// Every behaviour holds for both engines: ripgrep, and the JavaScript search used where there is none.
for (const engine of ['ripgrep', 'javascript'] as const) {
  describe(`search_files (${engine})`, () => {
    let ws: TestWorkspace;
    const search = async (input: Record<string, unknown>) => executeTool('search_files', input, ws.ctx);

    before(async function () {
      if (engine === 'ripgrep' && !(await findRipgrep(undefined))) this.skip(); // CI installs ripgrep
    });

    beforeEach(() => {
      ws = testWorkspace();
      if (engine === 'javascript') ws.ctx.ripgrepPath = false;
      ws.ctx.pendingPaths = () => ws.changes.pending.keys();
      writeTree(ws.root, {
        'src/a.ts': 'export function parse() {}\nconst x = 1;\n',
        'src/b.ts': 'function parseAll() {}\r\n',
        'README.md': 'Call parse() first.\n',
        'node_modules/lib/index.js': 'function parse() {}\n',
        '.git/config': 'function parse\n',
        '.munero/notes': 'function parse\n',
        'bin.dat': Buffer.concat([Buffer.from('function parse\n'), Buffer.from([0])]),
      });
    });
    afterEach(() => ws.cleanup());

    it('finds matching lines grouped by file, skipping .git, .munero, node_modules and binaries', async () => {
      const out = content(await search({ pattern: 'function\\s+parse' }));
      assert.equal(out, 'src/a.ts\n  1: export function parse() {}\nsrc/b.ts\n  1: function parseAll() {}');
    });

    it('searches under a path, or a single file', async () => {
      assert.equal(content(await search({ pattern: 'parse', path: 'README.md' })), 'README.md\n  1: Call parse() first.');
      assert.equal(content(await search({ pattern: 'const', path: 'src' })), 'src/a.ts\n  2: const x = 1;');
    });

    it('searches a node_modules folder when the path lies inside one, but never .git or .munero', async () => {
      assert.equal(content(await search({ pattern: 'parse', path: 'node_modules/lib' })), 'node_modules/lib/index.js\n  1: function parse() {}');
      assert.match(error(await search({ pattern: 'parse', path: '.git' })), /\.git\/ is never searched/);
      assert.match(error(await search({ pattern: 'parse', path: 'x/../.munero/notes' })), /\.munero\/ is never searched/);
    });

    it('honours .gitignore, including nested ones and negations', async () => {
      writeTree(ws.root, {
        '.gitignore': 'dist/\n*.log\n!keep.log\n',
        'dist/out.js': 'needle\n',
        'app.log': 'needle\n',
        'keep.log': 'needle\n',
        'pkg/.gitignore': 'generated.ts\n',
        'pkg/generated.ts': 'needle\n',
        'pkg/real.ts': 'needle\n',
      });
      const out = content(await search({ pattern: 'needle', output_mode: 'files_with_matches' }));
      assert.equal(out, 'keep.log\npkg/real.ts');
    });

    it('still searches tracked files that .gitignore or a node_modules folder would skip', async function () {
      if (!hasGit) this.skip();
      writeTree(ws.root, {
        '.gitignore': 'fixtures/\nnode_modules/\n',
        'fixtures/tracked.txt': 'needle\n',
        'fixtures/untracked.txt': 'needle\n',
        'test/node_modules/pkg/index.js': 'needle\n',
        'test/node_modules/pkg/other.js': 'needle\n',
      });
      gitInit(ws.root, ['fixtures/tracked.txt', 'test/node_modules/pkg/index.js']);
      const out = content(await search({ pattern: 'needle', output_mode: 'files_with_matches' }));
      assert.equal(out, 'fixtures/tracked.txt\ntest/node_modules/pkg/index.js');
    });

    it('searches the pending content in place of the disk, and pending new files', async () => {
      ws.changes.pending.set('src/a.ts', 'nothing\nparse here\n');
      ws.changes.pending.set('src/new.ts', 'parse here too\n');
      const out = content(await search({ pattern: 'parse here' }));
      assert.equal(out, 'src/a.ts\n  2: parse here\nsrc/new.ts\n  1: parse here too');
      // The disk's version of a pending file is not reported.
      assert.match(content(await search({ pattern: 'export function' })), /^No matches/);
    });

    it('searches files over the read limit', async () => {
      ws.ctx.limits.maxReadBytes = 30;
      writeTree(ws.root, { 'big.txt': 'x'.repeat(100) + '\nneedle\n' });
      assert.equal(content(await search({ pattern: 'needle' })), 'big.txt\n  2: needle');
    });

    it('filters by glob and type, ignores case, and counts', async () => {
      writeTree(ws.root, { 'lib/c.js': 'PARSE\nparse\n', 'lib/d.py': 'parse\n' });
      assert.equal(content(await search({ pattern: 'parse', glob: '*.{js,py}', output_mode: 'files_with_matches' })), 'lib/c.js\nlib/d.py');
      assert.equal(content(await search({ pattern: 'parse', glob: '!*.ts', path: 'lib', output_mode: 'files_with_matches' })), 'lib/c.js\nlib/d.py');
      assert.equal(content(await search({ pattern: 'parse', type: 'py', output_mode: 'files_with_matches' })), 'lib/d.py');
      assert.equal(content(await search({ pattern: 'parse', path: 'lib', case_insensitive: true, output_mode: 'count' })), 'lib/c.js: 2\nlib/d.py: 1\nTotal: 3 matching lines in 2 files.');
    });

    it('shows context lines, separating groups', async () => {
      writeTree(ws.root, { 'ctx.txt': ['a', 'b', 'hit', 'c', 'd', 'e', 'f', 'hit', 'g'].join('\n') + '\n' });
      const out = content(await search({ pattern: 'hit', path: 'ctx.txt', context: 1 }));
      assert.equal(out, 'ctx.txt\n  2- b\n  3: hit\n  4- c\n  --\n  7- f\n  8: hit\n  9- g');
    });

    it('fits a large result in the budget while collecting, and says exactly what was left out', async () => {
      ws.ctx.limits.maxResultChars = 2_000;
      const files: Record<string, string> = {};
      for (let f = 0; f < 40; f++) files[`many/f${String(f).padStart(2, '0')}.txt`] = 'hit line\n'.repeat(25);
      writeTree(ws.root, files);
      const out = content(await search({ pattern: 'hit', path: 'many' }));
      assert.ok(out.length <= 2_000, `${out.length} characters`);
      const shown = out.split('\n').filter((l) => /^ {2}\d+: hit line$/.test(l)).length;
      assert.ok(shown > 5);
      const note = out.split('\n').at(-1)!;
      assert.match(note, new RegExp(`^\\[Shown: ${shown} of 1000 matching lines, from \\d+ of 40 files .*Narrow the search`));
    });

    it('counts every file exactly when the answer is full, the pending content in place of the disk', async () => {
      const files: Record<string, string> = {};
      for (let f = 0; f < 300; f++) files[`big/f${String(f).padStart(3, '0')}.txt`] = 'hit line\n'.repeat(30);
      writeTree(ws.root, files);
      ws.changes.pending.set('big/f007.txt', 'hit line\nno\nhit line\n');
      const out = content(await search({ pattern: 'hit', path: 'big' }));
      assert.ok(out.length <= ws.ctx.limits.maxResultChars, `${out.length} characters`);
      const shown = out.split('\n').filter((l) => /^ {2}\d+: hit line$/.test(l)).length;
      const note = out.split('\n').at(-1)!;
      assert.match(note, new RegExp(`^\\[Shown: ${shown} of ${299 * 30 + 2} matching lines, from \\d+ of 300 files \\(\\d+ files with matches not shown at all\\)\\.`));
    });

    it('shows at most head_limit matching lines, and says how many more there are in a file', async () => {
      writeTree(ws.root, { 'many.txt': 'hit\n'.repeat(10) });
      const out = content(await search({ pattern: '^hit$', path: 'many.txt', head_limit: 3 }));
      assert.equal(out.split('\n').filter((l) => /^ {2}\d+: hit$/.test(l)).length, 3);
      assert.match(out, /\[… 7 more matching lines in this file\]/);
      assert.match(out, /Shown: 3 of 10 matching lines/);
    });

    it('shortens a long line around its match', async () => {
      writeTree(ws.root, { 'min.js': `${'x'.repeat(4000)}needle${'y'.repeat(4000)}\n` });
      const line = content(await search({ pattern: 'needle', path: 'min.js' })).split('\n')[1]!;
      assert.match(line, /^ {2}1: …x+needley+…$/);
      assert.ok(line.length < 320, `${line.length} characters`);
    });

    it('takes JavaScript spellings: escaped slashes, named groups, lookaround, backreferences', async () => {
      writeTree(ws.root, { 'p.txt': 'a/b\nfoo(bar)\nabab\n' });
      const found = async (pattern: string) => content(await search({ pattern, path: 'p.txt' }));
      assert.match(await found('a\\/b'), /1: a\/b/);
      assert.match(await found('(?<name>foo)\\('), /2: foo\(bar\)/);
      assert.match(await found('foo(?=\\()'), /2: foo/);
      assert.match(await found('(ab)\\1'), /3: abab/);
    });

    it('reports no matches, and names an invalid regular expression', async () => {
      assert.match(content(await search({ pattern: 'zzz' })), /No matches for \/zzz\//);
      assert.match(error(await search({ pattern: 'foo(' })), /Invalid regular expression "foo\(":/);
    });

    it('does not follow symlinks out of the workspace', async () => {
      writeTree(ws.outside, { 'secret.txt': 'needle\n' });
      fs.symlinkSync(ws.outside, path.join(ws.root, 'linkdir'));
      fs.symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'linkfile'));
      assert.match(content(await search({ pattern: 'needle' })), /No matches/);
      assert.match(error(await search({ pattern: 'needle', path: 'linkdir' })), /symbolic link/);
    });
  });
}

describe('search_files: patterns that backtrack', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace({ limits: { searchFileTimeoutMs: 300 } });
    writeTree(ws.root, { 'text.txt': `${'a'.repeat(40)}!\nname = value\n`, 'words.txt': `${'word '.repeat(40)}!\n` });
  });
  afterEach(() => ws.cleanup());

  it('without ripgrep, stops a catastrophic pattern with a clear error while the event loop stays free', async () => {
    ws.ctx.ripgrepPath = false;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    try {
      const out = error(await executeTool('search_files', { pattern: '(a+)+$' }, ws.ctx));
      assert.match(out, /\(a\+\)\+\$\/ ran over 0\.3 s on text\.txt .*backtracks catastrophically/);
      assert.ok(ticks >= 10, `the event loop ticked only ${ticks} times`);
    } finally {
      clearInterval(ticker);
    }
  });

  it('without ripgrep, a cancelled search ends at once', async () => {
    ws.ctx.ripgrepPath = false;
    ws.ctx.limits.searchFileTimeoutMs = 60_000;
    const controller = new AbortController();
    ws.ctx.signal = controller.signal;
    setTimeout(() => controller.abort(), 200);
    assert.equal(error(await executeTool('search_files', { pattern: '(a+)+$' }, ws.ctx)), 'Cancelled.');
  });

  it('with ripgrep, such patterns just work', async function () {
    if (!(await findRipgrep(undefined))) this.skip();
    assert.match(content(await executeTool('search_files', { pattern: '(a+)+$' }, ws.ctx)), /^No matches/);
    const out = content(await executeTool('search_files', { pattern: '(\\w+\\s*)+=' }, ws.ctx));
    assert.equal(out, 'text.txt\n  2: name = value');
  });
});

describe('search_files: the ripgrep process', () => {
  let ws: TestWorkspace;
  let fakeRg: string;
  beforeEach(() => {
    ws = testWorkspace();
    // A "ripgrep" that never answers, recording its pid.
    fakeRg = path.join(ws.outside, 'rg');
    fs.writeFileSync(fakeRg, `#!/bin/sh\necho $$ > "${ws.outside}/pid"\nexec sleep 30\n`, { mode: 0o755 });
    ws.ctx.ripgrepPath = fakeRg;
  });
  afterEach(() => ws.cleanup());

  const pidOf = async () => {
    assert.ok(await waitFor(() => fs.existsSync(path.join(ws.outside, 'pid')), 2_000));
    return Number(fs.readFileSync(path.join(ws.outside, 'pid'), 'utf8'));
  };

  it('is killed at the deadline, and the answer says the search stopped', async () => {
    ws.ctx.limits.searchTimeoutMs = 300;
    const out = content(await executeTool('search_files', { pattern: 'x' }, ws.ctx));
    assert.match(out, /stopped at its time limit/);
    const pid = await pidOf();
    assert.ok(await waitFor(() => !isAlive(pid), 2_000));
  });

  it('is killed on cancel', async () => {
    const controller = new AbortController();
    ws.ctx.signal = controller.signal;
    const outcome = executeTool('search_files', { pattern: 'x' }, ws.ctx);
    const pid = await pidOf();
    controller.abort();
    assert.equal(error(await outcome), 'Cancelled.');
    assert.ok(await waitFor(() => !isAlive(pid), 2_000));
  });
});

describe('search_files: a broad search on ripgrep', () => {
  let ws: TestWorkspace;
  let realRg: string | undefined;
  before(async function () {
    realRg = await findRipgrep(undefined);
    if (!realRg) this.skip();
  });
  beforeEach(() => {
    ws = testWorkspace();
    const files: Record<string, string> = { 'one.txt': 'rare\n' };
    for (let f = 0; f < 300; f++) files[`big/f${String(f).padStart(3, '0')}.txt`] = 'hit line\n'.repeat(30);
    writeTree(ws.root, files);
  });
  afterEach(() => ws.cleanup());

  /** Runs the real ripgrep through a script that records each command line; `before` may replace it. */
  const wrapRipgrep = (before = '') => {
    const wrapper = path.join(ws.outside, 'rg');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> "${ws.outside}/calls"\n${before}exec "${realRg}" "$@"\n`, { mode: 0o755 });
    ws.ctx.ripgrepPath = wrapper;
  };
  const calls = () => fs.readFileSync(path.join(ws.outside, 'calls'), 'utf8').trim().split('\n');

  it('stops ripgrep once the answer is full and counts the rest in a pass that prints no lines', async () => {
    wrapRipgrep();
    assert.equal(content(await executeTool('search_files', { pattern: 'rare' }, ws.ctx)), 'one.txt\n  1: rare');
    assert.equal(calls().length, 1);
    const out = content(await executeTool('search_files', { pattern: 'hit' }, ws.ctx));
    assert.match(out.split('\n').at(-1)!, /^\[Shown: \d+ of 9000 matching lines, from \d+ of 300 files /);
    const [, lines, counts] = calls();
    assert.match(lines!, /--line-number/);
    assert.match(counts!, /--count/);
    assert.doesNotMatch(counts!, /--line-number|--column/);
  });

  it('says "at least" when counting the rest reaches the time limit', async () => {
    wrapRipgrep('case "$*" in *--count*) exec sleep 30;; esac\n');
    ws.ctx.limits.searchTimeoutMs = 1_500;
    const out = content(await executeTool('search_files', { pattern: 'hit' }, ws.ctx)).split('\n');
    assert.match(out.at(-2)!, /^\[Shown: \d+ of at least \d+ matching lines, from \d+ of at least \d+ files(?: \(at least \d+ files with matches not shown at all\))?\./);
    assert.match(out.at(-1)!, /^\[Counting what the answer leaves out reached the search's time limit, so the totals are lower bounds\./);
  });
});

describe('toRustPattern', () => {
  it('rewrites JavaScript-only spellings and leaves the rest', () => {
    assert.equal(toRustPattern('a\\/b\\:c\\ d'), 'a/b:c d');
    assert.equal(toRustPattern('\\.\\-\\[\\d\\w'), '\\.\\-\\[\\d\\w');
    assert.equal(toRustPattern('(?<year>\\d{4})(?<=x)(?<!y)'), '(?P<year>\\d{4})(?<=x)(?<!y)');
    assert.equal(toRustPattern('a[^]b[^a]'), 'a[\\s\\S]b[^a]');
  });
});
