import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuildInputError, BuildManager } from '../../../src/core/build/buildManager';
import { UnsafeWriteError, writeFileSafely } from '../../../src/core/changes/safeWrite';
import { WorkspaceState } from '../../../src/core/state/workspaceState';
import { tempDir, writeTree } from '../tools/helpers';

/** A repository that ships `.munero` or `.git` as a symbolic link, on a real file system. */
describe('a .munero or .git link the workspace ships', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: base, cleanup } = tempDir('munero-statelinks-'));
    base = fs.realpathSync(base);
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    writeTree(root, { 'SPEC.md': '# Spec\n- R1: a requirement\n', 'docs-cache/builds/b1/build.json': '{"judge":"frozen"}', 'gitdir/hooks/README': 'hooks', 'gitdir/config': '[core]\n' });
    fs.mkdirSync(outside);
  });
  afterEach(() => cleanup());

  const refusedBuild = async (link: RegExp) => {
    const manager = new BuildManager({ workspaceRoot: root, env: { apiKey: 'test-key' } });
    await assert.rejects(manager.start('SPEC.md'), (err: unknown) => {
      assert.ok(err instanceof BuildInputError, String(err));
      assert.match((err as Error).message, link);
      return true;
    });
  };

  it('refuses to build when .munero is a link, naming it and what to do, and creates nothing through it', async () => {
    fs.symlinkSync(outside, path.join(root, '.munero'));
    await refusedBuild(/\.munero is a symbolic link \(to .*outside\).*Remove the link/);
    assert.throws(() => new WorkspaceState(root).ensureDir(), /\.munero is a symbolic link/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('refuses to build when .git is a link, or .munero is a file', async () => {
    fs.symlinkSync('gitdir', path.join(root, '.git'));
    await refusedBuild(/\.git is a symbolic link \(to gitdir\)/);
    fs.rmSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, '.munero'), 'not a folder');
    await refusedBuild(/\.munero is not a folder/);
  });

  it('refuses writes into the folder .munero or .git lead to, whatever the path calls it', () => {
    fs.symlinkSync('docs-cache', path.join(root, '.munero'));
    fs.symlinkSync('gitdir', path.join(root, '.git'));
    for (const [rel, why] of [
      ['docs-cache/builds/b1/build.json', /inside \.munero\/ \(the workspace's \.munero is a symbolic link to .*docs-cache\)/],
      ['docs-cache/new/file.json', /inside \.munero\//],
      ['gitdir/hooks/pre-commit', /inside \.git\/ \(the workspace's \.git is a symbolic link to .*gitdir\)/],
    ] as const) {
      assert.throws(
        () => writeFileSafely(root, rel, Buffer.from('{"judge":"rewritten by agent"}')),
        (err: unknown) => err instanceof UnsafeWriteError && why.test(err.message),
      );
    }
    assert.equal(fs.readFileSync(path.join(root, 'docs-cache/builds/b1/build.json'), 'utf8'), '{"judge":"frozen"}');
    assert.equal(fs.existsSync(path.join(root, 'docs-cache/new')), false);
    assert.equal(fs.existsSync(path.join(root, 'gitdir/hooks/pre-commit')), false);
    writeFileSafely(root, 'src/ok.ts', Buffer.from('fine'));
  });
});
