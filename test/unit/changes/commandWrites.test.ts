import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager } from '../../../src/core/build/buildManager';
import type { ChangeRecord, ChangeSet } from '../../../src/core/changes/changeSet';
import { CommandWriteTracker } from '../../../src/core/changes/commandWrites';
import { EventBus } from '../../../src/core/events/bus';
import type { MuneroEvent } from '../../../src/core/events/types';
import { readJsonLines } from '../../../src/core/state/jsonLines';
import type { BuildRecord } from '../../../src/core/state/workspaceState';
import { agentWrites, changeSetFor, makeBuild, read, tempDir, writeTree } from './helpers';

describe('CommandWriteTracker: files that commands change are checkpointed like tool writes', () => {
  let root: string;
  let cleanup: () => void;
  let record: BuildRecord;
  let changes: ChangeSet;
  let bus: EventBus;
  let tracker: CommandWriteTracker;

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('munero-cmdwrites-'));
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0', 'src/gone.ts': 'g0', 'run.sh': '#!/bin/sh\n', '.gitignore': 'dist/\n' });
    fs.chmodSync(path.join(root, 'run.sh'), 0o750);
    record = makeBuild(root);
    bus = new EventBus();
    changes = changeSetFor(record, root);
    tracker = new CommandWriteTracker(record, changes, root, bus);
  });
  afterEach(() => {
    record.close();
    cleanup();
  });

  /** A real command in the workspace, as the command runner would start it. */
  const sh = (script: string) => execFileSync('/bin/sh', ['-c', script], { cwd: root });
  const rollback = (checkpoint?: string) => {
    record.close();
    return new BuildManager({ workspaceRoot: root }).rollback(checkpoint);
  };
  const commandRecords = () => readJsonLines<ChangeRecord>(record.changeLogFile()).filter((c) => c.tool === 'command');

  it('captures what a command rewrote, created and deleted, and a rollback returns all three', async () => {
    const token = await tracker.before();
    sh("printf a1 > src/a.ts && printf new > src/gen.ts && rm src/gone.ts && mkdir -p dist && echo built > dist/out.js && printf '#!/bin/sh\\necho hi\\n' > run.sh");
    const changed = await tracker.after(token, 'sh generate.sh', { agentId: 'coder-1', taskId: 'T1' });
    assert.deepEqual(
      changed.sort((x, y) => x.path.localeCompare(y.path)),
      [
        { path: 'run.sh', change: 'modified' },
        { path: 'src/a.ts', change: 'modified' },
        { path: 'src/gen.ts', change: 'added' },
        { path: 'src/gone.ts', change: 'deleted' },
      ],
      'dist/ is gitignored and left out',
    );
    const logged = commandRecords();
    assert.deepEqual(logged.map((c) => [c.path, c.label, c.agentId, c.status]).sort(), [
      ['run.sh', 'sh generate.sh', 'coder-1', 'applied'],
      ['src/a.ts', 'sh generate.sh', 'coder-1', 'applied'],
      ['src/gen.ts', 'sh generate.sh', 'coder-1', 'applied'],
      ['src/gone.ts', 'sh generate.sh', 'coder-1', 'applied'],
    ]);
    assert.equal(logged.find((c) => c.path === 'src/gone.ts')!.afterSha, null);

    const result = rollback();
    assert.deepEqual(result.restored.sort(), ['run.sh', 'src/a.ts', 'src/gen.ts', 'src/gone.ts']);
    assert.deepEqual(result.kept, []);
    assert.equal(read(root, 'src/a.ts'), 'a0');
    assert.equal(read(root, 'src/gone.ts'), 'g0');
    assert.equal(read(root, 'src/gen.ts'), undefined);
    assert.equal(read(root, 'run.sh'), '#!/bin/sh\n');
    assert.equal(fs.statSync(path.join(root, 'run.sh')).mode & 0o777, 0o750, 'the executable bit git kept, the rest from the disk');
    assert.equal(read(root, 'dist/out.js'), 'built\n', 'ignored build output is not touched');
  });

  it('a formatter rewriting a file an agent wrote: rollback returns the original, and a later user edit is kept', async () => {
    await agentWrites(changes, { 'src/a.ts': 'a1' });
    const token = await tracker.before();
    sh('printf "a1 formatted" > src/a.ts');
    assert.deepEqual(await tracker.after(token, 'npm run format'), [{ path: 'src/a.ts', change: 'modified' }]);
    fs.writeFileSync(path.join(root, 'src/gone.ts'), 'user edit');
    const token2 = await tracker.before();
    sh('printf "a2" > src/a.ts');
    await tracker.after(token2, 'npm run format');
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'user edit after the command');
    const kept = rollback();
    assert.deepEqual(kept.kept, [{ path: 'src/a.ts', reason: 'it was changed after Munero last wrote it' }]);
    const forced = new BuildManager({ workspaceRoot: root }).rollback('start', { force: true });
    assert.deepEqual(forced.restored, ['src/a.ts']);
    assert.equal(read(root, 'src/a.ts'), 'a0');
    assert.equal(read(root, 'src/gone.ts'), 'user edit', 'a file no one but the user changed is not the build’s to touch');
  });

  it('does not count a tool write made while a command ran, nor the sandbox’s empty stub files', async () => {
    const token = await tracker.before();
    await agentWrites(changes, { 'src/b.ts': 'from a tool' });
    sh('touch .bashrc .mcp.json .gitconfig src/.gitkeep');
    assert.deepEqual(await tracker.after(token, 'npm test'), [{ path: 'src/.gitkeep', change: 'added' }]);
  });

  it('stores bytes exactly, whatever the workspace’s .gitattributes ask', async () => {
    writeTree(root, { '.gitattributes': '* text eol=crlf\n*.ts filter=evil ident\n', 'src/lf.ts': 'line1\nline2\n$Id$\n' });
    const original = fs.readFileSync(path.join(root, 'src/lf.ts'));
    const token = await tracker.before();
    sh('printf "changed\\r\\n" > src/lf.ts');
    await tracker.after(token, 'prettier');
    rollback();
    assert.deepEqual(fs.readFileSync(path.join(root, 'src/lf.ts')), original);
  });

  it('never reads the workspace’s own git settings or the environment’s GIT_DIR', async () => {
    const marker = path.join(root, '..', `${path.basename(root)}-fsmonitor-ran`);
    execFileSync('git', ['init', '--quiet', root]);
    fs.writeFileSync(path.join(root, '.git/hooks-run.sh'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    fs.appendFileSync(path.join(root, '.git/config'), `[core]\n\tfsmonitor = ${path.join(root, '.git/hooks-run.sh')}\n\thooksPath = .git\n[include]\n\tpath = ${path.join(root, '.git/hooks-run.sh')}\n`);
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(root, '.git');
    try {
      const token = await tracker.before();
      sh('printf a1 > src/a.ts');
      assert.deepEqual(await tracker.after(token, 'cmd'), [{ path: 'src/a.ts', change: 'modified' }]);
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
    assert.equal(fs.existsSync(marker), false, 'the workspace’s fsmonitor never ran');
    assert.equal(fs.existsSync(path.join(root, '.git/index')), false, 'the workspace’s repository was not touched');
    assert.ok(fs.existsSync(path.join(record.dir, 'shadow.git/HEAD')));
  });

  it('runs git one call at a time when commands overlap', async () => {
    const [t1, t2] = await Promise.all([tracker.before(), tracker.before()]);
    sh('printf one > src/one.ts && printf two > src/two.ts');
    const [c1, c2] = await Promise.all([tracker.after(t1, 'first'), tracker.after(t2, 'second')]);
    assert.deepEqual([...c1, ...c2].map((c) => c.path).sort(), ['src/one.ts', 'src/two.ts'], 'each change counted once');
    assert.equal(bus.lastSeq, 0, 'no warning');
  });

  it('without git, says so once and captures nothing', async () => {
    const events: MuneroEvent[] = [];
    bus.events$.subscribe((e) => events.push(e));
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(root, 'no-bin-here');
    try {
      const token = await tracker.before();
      sh('printf a1 > src/a.ts');
      assert.deepEqual(await tracker.after(token, 'cmd'), []);
      assert.deepEqual(await tracker.after(await tracker.before(), 'cmd2'), []);
    } finally {
      process.env.PATH = savedPath;
    }
    assert.deepEqual(events.map((e) => e.type === 'log' && e.message), ['git is not installed: files that commands change are not captured in checkpoints, so a rollback cannot return them.']);
  });
});
