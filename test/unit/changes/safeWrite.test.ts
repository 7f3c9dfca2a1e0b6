import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  assertSafeToWrite,
  openSafeTarget,
  removeFileSafely,
  UnsafeWriteError,
  writeFileSafely,
} from '../../../src/core/changes/safeWrite';
import { tempDir, writeTree } from '../tools/helpers';

describe('writeFileSafely: the one door for workspace writes', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: base, cleanup } = tempDir('munero-safewrite-'));
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    writeTree(root, {
      'src/a.ts': 'a',
      '.git/config': '[core]\n',
      '.git/hooks/README': 'hooks',
      '.munero/config.json': '{}',
      'specs/SPEC.md': '# Spec\n',
    });
    writeTree(outside, { 'secret.txt': 'secret' });
  });
  afterEach(() => cleanup());

  const refused = (rel: string, reason: RegExp, write = () => writeFileSafely(root, rel, Buffer.from('pwned'))) =>
    assert.throws(write, (err: unknown) => {
      assert.ok(err instanceof UnsafeWriteError, String(err));
      assert.match(err.message, reason);
      return true;
    });
  const filesUnder = (dir: string): string[] =>
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();

  it('writes a new file, making its folders, and replaces an existing one keeping its mode', () => {
    writeFileSafely(root, 'src/deep/er/b.ts', Buffer.from('b'));
    assert.equal(fs.readFileSync(path.join(root, 'src/deep/er/b.ts'), 'utf8'), 'b');
    fs.chmodSync(path.join(root, 'src/a.ts'), 0o751);
    writeFileSafely(root, 'src/a.ts', Buffer.from('a2'));
    assert.equal(fs.readFileSync(path.join(root, 'src/a.ts'), 'utf8'), 'a2');
    assert.equal(fs.statSync(path.join(root, 'src/a.ts')).mode & 0o7777, 0o751);
    writeFileSafely(root, 'src/a.ts', Buffer.from('a3'), { mode: 0o600 });
    assert.equal(fs.statSync(path.join(root, 'src/a.ts')).mode & 0o7777, 0o600);
    assert.deepEqual(fs.readdirSync(path.join(root, 'src')).sort(), ['a.ts', 'deep'], 'no temporary file is left behind');
  });

  it('writes through a folder link that stays inside the workspace', () => {
    fs.symlinkSync('src', path.join(root, 'lib'));
    writeFileSafely(root, 'lib/c.ts', Buffer.from('c'));
    assert.equal(fs.readFileSync(path.join(root, 'src/c.ts'), 'utf8'), 'c');
  });

  it('refuses .git/ and .munero/ reached through links (g -> .git, m -> .munero, nested)', () => {
    fs.symlinkSync('.git', path.join(root, 'g'));
    fs.symlinkSync('.munero', path.join(root, 'm'));
    fs.mkdirSync(path.join(root, 'nest'));
    fs.symlinkSync('../g', path.join(root, 'nest', 'deeper'));
    fs.symlinkSync('nest', path.join(root, 'n'));
    refused('g/hooks/pre-commit', /^g\/hooks\/pre-commit is inside \.git\/ \(reached through a symbolic link, as \.git\); Munero does not write there$/);
    refused('g/config', /inside \.git\//);
    refused('n/deeper/hooks/post-checkout', /inside \.git\//);
    refused('m/config.json', /inside \.munero\//);
    refused('g/new/folder/file', /inside \.git\//);
    assert.equal(fs.existsSync(path.join(root, '.git/hooks/pre-commit')), false);
    assert.equal(fs.existsSync(path.join(root, '.git/new')), false, 'no folder is made inside .git/ either');
    assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), '[core]\n');
    assert.equal(fs.readFileSync(path.join(root, '.munero/config.json'), 'utf8'), '{}');
  });

  it('refuses .git/ and .munero/ by any spelling: case, trailing dots, 8.3 short names, a/../', () => {
    for (const rel of ['.git/config', '.GIT/config', '.Git/hooks/x', '.git./config', 'GIT~1/config', 'src/../.git/config', 'sub/.git/config']) {
      refused(rel, /inside \.git\//);
    }
    for (const rel of ['.munero/config.json', '.MUNERO/config.json', 'MUNERO~1/x', './.munero/x']) refused(rel, /inside \.munero\//);
    assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), '[core]\n');
    assert.equal(fs.existsSync(path.join(root, 'sub')), false);
  });

  it('refuses a folder link that leads outside, creating nothing there', () => {
    fs.symlinkSync(outside, path.join(root, 'out'));
    refused('out/secret.txt', /leads outside the workspace through a symbolic link/);
    refused('out/new/deep/file.txt', /leads outside the workspace/);
    assert.deepEqual(filesUnder(outside), ['secret.txt']);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
  });

  it('never writes through a file that is a symbolic link, to outside or inside', () => {
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src/x.ts'));
    fs.symlinkSync('a.ts', path.join(root, 'src/alias.ts'));
    fs.symlinkSync(path.join(outside, 'missing.txt'), path.join(root, 'src/dangling.ts'));
    refused('src/x.ts', /^src\/x\.ts is a symbolic link; Munero does not write through links$/);
    refused('src/alias.ts', /is a symbolic link/);
    refused('src/dangling.ts', /is a symbolic link/);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
    assert.equal(fs.existsSync(path.join(outside, 'missing.txt')), false);
    assert.ok(fs.lstatSync(path.join(root, 'src/x.ts')).isSymbolicLink(), 'the link itself is left alone');
  });

  it("refuses the build's spec however it is spelled or reached", () => {
    const rules = { protectedPaths: [path.join(root, 'specs/SPEC.md')] };
    fs.symlinkSync('specs', path.join(root, 's'));
    fs.linkSync(path.join(root, 'specs/SPEC.md'), path.join(root, 'hardlink.md'));
    for (const rel of ['specs/SPEC.md', './specs/SPEC.md', 'specs/../specs/SPEC.md', 'src/../specs//SPEC.md', 's/SPEC.md', 'hardlink.md']) {
      refused(rel, /is the build's spec/, () => writeFileSafely(root, rel, Buffer.from('weakened'), rules));
    }
    refused('s/SPEC.md', /is the build's spec/, () => removeFileSafely(root, 's/SPEC.md', rules));
    assert.equal(fs.readFileSync(path.join(root, 'specs/SPEC.md'), 'utf8'), '# Spec\n');
    writeFileSafely(root, 'specs/OTHER.md', Buffer.from('fine'), rules);
  });

  it('creates its temporary file exclusively: a planted file or link at that name is never opened', () => {
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'victim');
    // The names the old code used, planted as links; and the names this write will try first.
    fs.symlinkSync(victim, path.join(root, 'src/a.ts.munero-tmp'));
    fs.symlinkSync(victim, path.join(root, 'src/a.ts.munero-restore'));
    fs.symlinkSync(victim, path.join(root, 'src/planted-link'));
    fs.symlinkSync(path.join(outside, 'would-be-created'), path.join(root, 'src/planted-dangling'));
    fs.writeFileSync(path.join(root, 'src/planted-file'), 'planted');
    const names = ['planted-link', 'planted-dangling', 'planted-file', 'fresh-name'];
    const target = openSafeTarget(root, 'src/a.ts');
    try {
      target.write(Buffer.from('new a'), { tempName: () => names.shift()! });
    } finally {
      target.close();
    }
    assert.equal(fs.readFileSync(path.join(root, 'src/a.ts'), 'utf8'), 'new a');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim');
    assert.equal(fs.existsSync(path.join(outside, 'would-be-created')), false);
    assert.equal(fs.readFileSync(path.join(root, 'src/planted-file'), 'utf8'), 'planted');
    assert.ok(fs.lstatSync(path.join(root, 'src/planted-link')).isSymbolicLink());
    writeFileSafely(root, 'src/a.ts', Buffer.from('again'));
    assert.equal(fs.readFileSync(victim, 'utf8'), 'victim');
  });

  it('making missing folders through a folder that is (or becomes) a link to outside creates nothing there', () => {
    fs.symlinkSync(outside, path.join(root, 'gen'));
    refused('gen/a/b/c.ts', /leads outside the workspace/);
    assert.deepEqual(filesUnder(outside), ['secret.txt']);
  });

  it('a folder swapped for a link to outside, over and over while writing, never lets a byte out', async function () {
    if (process.platform === 'win32') this.skip();
    fs.mkdirSync(path.join(root, 'flip'));
    const flipper = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');const d=${JSON.stringify(path.join(root, 'flip'))};const o=${JSON.stringify(outside)};
       const end=Date.now()+60000;while(Date.now()<end){try{fs.rmSync(d,{recursive:true,force:true});fs.symlinkSync(o,d);fs.unlinkSync(d);fs.mkdirSync(d);}catch{}}`,
    ]);
    const stop = new Promise((resolve) => flipper.on('exit', resolve));
    let written = 0;
    let refusedCount = 0;
    // A count, not a time: on a loaded machine a second may hold only a handful of tries.
    while (written + refusedCount < 300) {
      try {
        writeFileSafely(root, `flip/sub/f${written + refusedCount}.txt`, Buffer.from('agent bytes'));
        written++;
      } catch (err) {
        refusedCount++;
        assert.ok(!(err instanceof assert.AssertionError), String(err));
      }
      await new Promise((r) => setImmediate(r));
    }
    flipper.kill();
    await stop;
    assert.deepEqual(filesUnder(outside), ['secret.txt'], 'nothing was created outside the workspace');
  });

  it('removes a file (a link itself, not its target) and the folders it leaves empty; refuses the same doors', () => {
    writeTree(root, { 'gen/one/two/file.ts': 'x', 'gen/keep.ts': 'k' });
    assert.equal(removeFileSafely(root, 'gen/one/two/file.ts'), true);
    assert.equal(fs.existsSync(path.join(root, 'gen/one')), false);
    assert.equal(fs.existsSync(path.join(root, 'gen/keep.ts')), true);
    assert.equal(removeFileSafely(root, 'gen/one/two/file.ts'), false);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src/link.ts'));
    assert.equal(removeFileSafely(root, 'src/link.ts'), true);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'secret');
    fs.symlinkSync('.git', path.join(root, 'g'));
    fs.symlinkSync(outside, path.join(root, 'out'));
    refused('g/config', /inside \.git\//, () => removeFileSafely(root, 'g/config'));
    refused('out/secret.txt', /leads outside/, () => removeFileSafely(root, 'out/secret.txt'));
    assert.equal(fs.existsSync(path.join(root, '.git/config')), true);
    assert.equal(fs.existsSync(path.join(outside, 'secret.txt')), true);
  });

  it('checks without writing: fine for new folders, refused for the doors', () => {
    assertSafeToWrite(root, 'brand/new/file.ts');
    assert.equal(fs.existsSync(path.join(root, 'brand')), false);
    refused('brand/.git/hooks/x', /inside \.git\//, () => assertSafeToWrite(root, 'brand/.git/hooks/x'));
    refused('../outside/secret.txt', /leads outside the workspace/, () => assertSafeToWrite(root, '../outside/secret.txt'));
    refused('/etc/passwd', /absolute/, () => assertSafeToWrite(root, '/etc/passwd'));
  });
});
