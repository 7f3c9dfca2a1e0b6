import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CommandWriteTracker } from '../../../src/core/changes/commandWrites';
import { EventBus } from '../../../src/core/events/bus';
import type { BuildRecord } from '../../../src/core/state/workspaceState';
import { CommandRunner } from '../../../src/core/tools/commandRunner';
import { changeSetFor, makeBuild, tempDir, writeTree } from '../changes/helpers';

/**
 * Git metadata a command plants inside the sandbox is harmless there, and dangerous as soon as
 * something outside it runs git in that folder: Munero's shadow git, the user's git, VS Code.
 */
describe('repositories planted by a sandboxed command', function () {
  this.timeout(60_000);
  let root: string;
  let cleanup: () => void;
  let record: BuildRecord;
  let runner: CommandRunner;
  let marker: string;

  beforeEach(async () => {
    ({ dir: root, cleanup } = tempDir('munero-planted-'));
    root = fs.realpathSync(root);
    marker = `${root}-escaped`;
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0' });
    record = makeBuild(root);
    runner = await CommandRunner.open({ workspaceRoot: root, mode: 'on', protectedPaths: [path.join(root, 'SPEC.md')] });
    assert.equal(runner.sandbox.kind, 'on', `no sandbox on this machine: ${runner.sandbox.detail}`);
    runner.trackWrites(new CommandWriteTracker(record, changeSetFor(record, root), root, new EventBus()));
  });
  afterEach(async () => {
    await runner.close();
    record.close();
    fs.rmSync(marker, { force: true });
    cleanup();
  });

  const run = (command: string) => runner.run({ command, timeoutMs: 20_000, maxOutputChars: 4000, origin: { agentId: 'coder-1' } });

  it("never runs a filter a command wrote into a nested repository's config (the reviewer's attack)", async () => {
    fs.writeFileSync(path.join(root, 'pwn.sh'), `#!/bin/sh\necho "escaped: uid=$(id -u)" > ${marker}\ncat\n`, { mode: 0o755 });
    const direct = await run(`echo x > ${marker}; echo direct-write-rc=$?`);
    assert.match(direct.output, /Read-only file system/);
    const planted = await run(
      `git init -q sub && echo f > sub/f.txt && git -C sub add -A && git -C sub -c user.name=a -c user.email=b commit -qm x && git -C sub config filter.x.clean "$PWD/pwn.sh" && printf '* filter=x\\n' > sub/.gitattributes && sleep 1 && echo g > sub/f.txt && echo planted`,
    );
    assert.match(planted.output, /planted/);
    await run('echo an innocent second command');
    await run('echo g2 > sub/f.txt');
    assert.equal(fs.existsSync(marker), false, `ran outside the sandbox: ${fs.existsSync(marker) && fs.readFileSync(marker, 'utf8')}`);
  });

  it('removes a nested .git a command creates, with its fsmonitor, and says so', async () => {
    const r = await run(`git init -q deep/sub && git -C deep/sub config core.fsmonitor "touch ${marker}" && echo done`);
    assert.match(r.output, /done/);
    assert.equal(fs.existsSync(path.join(root, 'deep/sub/.git')), false, 'the planted .git survived');
    assert.match(r.output, /Munero removed the git repository metadata this command created: deep\/sub\/\.git/);
  });

  it('neutralises a bare repository layout a command creates, keeping the folder', async () => {
    const r = await run(`mkdir -p lib/objects lib/refs/heads && echo 'ref: refs/heads/main' > lib/HEAD && printf '[core]\\n\\tfsmonitor = touch ${marker}\\n' > lib/config && echo keep > lib/index.ts`);
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(fs.existsSync(path.join(root, 'lib/HEAD')), false);
    assert.equal(fs.existsSync(path.join(root, 'lib/config')), false);
    assert.equal(fs.readFileSync(path.join(root, 'lib/index.ts'), 'utf8'), 'keep\n');
    assert.match(r.output, /lib\/ \(a bare repository/);
  });

  it('leaves alone the repositories that were there before the command', async () => {
    fs.mkdirSync(path.join(root, 'vendor/kept/.git'), { recursive: true });
    fs.writeFileSync(path.join(root, 'vendor/kept/.git/HEAD'), 'ref: refs/heads/main\n');
    const r = await run('echo changed > src/a.ts');
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(fs.existsSync(path.join(root, 'vendor/kept/.git/HEAD')), true);
    assert.doesNotMatch(r.output, /Munero removed/);
  });
});
