import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertWritable, PathError, resolveInWorkspace } from '../../../src/core/tools/workspacePath';
import { tempDir } from './helpers';

describe('resolveInWorkspace', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: base, cleanup } = tempDir());
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  });
  afterEach(() => cleanup());

  const refused = (userPath: string, reason: RegExp) =>
    assert.throws(() => resolveInWorkspace(root, userPath), (err: unknown) => {
      assert.ok(err instanceof PathError, String(err));
      assert.match(err.message, reason);
      return true;
    });

  it('resolves relative paths, normalising them to forward slashes', () => {
    assert.deepEqual(resolveInWorkspace(root, 'src/a.ts'), { abs: path.join(root, 'src', 'a.ts'), rel: 'src/a.ts' });
    assert.deepEqual(resolveInWorkspace(root, './src//b/../a.ts'), { abs: path.join(root, 'src', 'a.ts'), rel: 'src/a.ts' });
    assert.equal(resolveInWorkspace(root, 'src\\x\\y.ts').rel, 'src/x/y.ts');
    assert.equal(resolveInWorkspace(root, 'src/').rel, 'src');
    assert.deepEqual(resolveInWorkspace(root, '.'), { abs: root, rel: '.' });
    assert.equal(resolveInWorkspace(root, '').rel, '.');
    assert.equal(resolveInWorkspace(root, '..foo').rel, '..foo');
  });

  it('refuses paths that climb out with ..', () => {
    refused('..', /outside the workspace/);
    refused('../outside/secret.txt', /outside the workspace/);
    refused('src/../../outside/secret.txt', /outside the workspace/);
    refused('src\\..\\..\\outside', /outside the workspace/);
  });

  it('refuses absolute paths, posix and windows', () => {
    refused('/etc/passwd', /absolute/);
    refused(path.join(root, 'src/a.ts'), /absolute/);
    refused('C:\\Windows\\system32', /absolute/);
    refused('C:foo', /absolute/);
    refused('\\\\server\\share', /absolute/);
  });

  it('refuses NUL bytes', () => {
    refused('src/a.ts\0.png', /NUL/);
  });

  it('refuses a new file under a symlinked directory that points outside', () => {
    fs.symlinkSync(outside, path.join(root, 'link'));
    refused('link/new.txt', /symbolic link/);
    refused('link/deeper/new.txt', /symbolic link/);
    refused('link/secret.txt', /symbolic link/);
  });

  it('refuses a symlinked file that points outside', () => {
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src', 'secret.txt'));
    refused('src/secret.txt', /symbolic link/);
  });

  it('refuses a dangling symlink, which a write would follow anywhere', () => {
    fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
    refused('dangling', /symbolic link/);
  });

  it('accepts symlinks that stay inside the workspace', () => {
    fs.writeFileSync(path.join(root, 'src', 'real.ts'), '');
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
    assert.equal(resolveInWorkspace(root, 'alias/real.ts').rel, 'alias/real.ts');
    assert.equal(resolveInWorkspace(root, 'alias/new.ts').rel, 'alias/new.ts');
  });

  it('works when the root itself is reached through a symlink', () => {
    const linkedRoot = path.join(base, 'ws-link');
    fs.symlinkSync(root, linkedRoot);
    assert.equal(resolveInWorkspace(linkedRoot, 'src/a.ts').rel, 'src/a.ts');
  });
});

describe('assertWritable', () => {
  it('refuses .git and .munero, wherever and however spelt', () => {
    for (const rel of ['.git/config', '.git/hooks/pre-commit', 'sub/.git/HEAD', '.GIT/config', '.git./config', 'GIT~1/config', '.munero/config.json', '.git', '.']) {
      assert.throws(() => assertWritable(rel), PathError, rel);
    }
  });

  it('accepts ordinary files, including look-alikes', () => {
    for (const rel of ['src/a.ts', '.gitignore', '.github/workflows/ci.yml', 'munero.md']) assertWritable(rel);
  });
});
