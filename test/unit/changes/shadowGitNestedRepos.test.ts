import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CommandWriteTracker } from '../../../src/core/changes/commandWrites';
import { EventBus } from '../../../src/core/events/bus';
import type { BuildRecord } from '../../../src/core/state/workspaceState';
import { changeSetFor, makeBuild, tempDir, writeTree } from './helpers';

/**
 * The shadow git that snapshots the workspace must never run anything a nested repository's own
 * config names: `git add` runs `git status` inside every gitlink in its index, and that status
 * reads the nested repository's config (a clean filter, an fsmonitor).
 */
describe('the shadow git never enters a nested repository', () => {
  let root: string;
  let cleanup: () => void;
  let record: BuildRecord;
  let marker: string;

  beforeEach(() => {
    ({ dir: root, cleanup } = tempDir('munero-shadow-nested-'));
    root = fs.realpathSync(root);
    marker = path.join(path.dirname(root), `${path.basename(root)}-ran-outside`);
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0' });
    record = makeBuild(root);
  });
  afterEach(() => {
    record.close();
    fs.rmSync(marker, { force: true });
    cleanup();
  });

  const sh = (script: string) => execFileSync('/bin/sh', ['-c', script], { cwd: root });

  /** What the reviewer planted: a repository with a commit, a clean filter and an fsmonitor of its own. */
  function plantHostileRepository(folder: string): void {
    fs.writeFileSync(path.join(root, 'pwn.sh'), `#!/bin/sh\necho ran > '${marker}'\ncat\n`, { mode: 0o755 });
    sh(
      `git init -q ${folder} && echo f > ${folder}/f.txt && git -C ${folder} add -A && git -C ${folder} -c user.name=a -c user.email=b commit -qm x && ` +
        `git -C ${folder} config filter.x.clean "$PWD/pwn.sh" && git -C ${folder} config core.fsmonitor "$PWD/pwn.sh" && printf '* filter=x\\n' > ${folder}/.gitattributes`,
    );
  }

  it('snapshots around a repository the workspace ships, and around one a command adds, without running their filters', async () => {
    plantHostileRepository('vendored');
    const tracker = new CommandWriteTracker(record, changeSetFor(record, root), root, new EventBus());
    for (const step of ['echo g > vendored/f.txt', `git init -q deep/er/sub && printf x > deep/er/sub/y`, 'echo h > vendored/f.txt && echo b > src/b.ts']) {
      const token = await tracker.before();
      sh(step);
      await tracker.after(token, step);
      // The next snapshot is where git would have entered a gitlink added by the previous one.
      await tracker.after(await tracker.before(), 'nothing');
    }
    assert.equal(fs.existsSync(marker), false, 'the nested repository\'s filter or fsmonitor ran');
    const index = execFileSync('git', [`--git-dir=${path.join(record.dir, 'shadow.git')}`, 'ls-files', '--stage'], { cwd: root }).toString();
    assert.doesNotMatch(index, /^160000 /m, 'a gitlink stayed in the shadow index');
    assert.match(index, /\tsrc\/b\.ts$/m, 'the workspace\'s own files are still captured');
  });
});
