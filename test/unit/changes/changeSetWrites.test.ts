import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ChangeRecord } from '../../../src/core/changes/changeSet';
import { sha256 } from '../../../src/core/state/blobs';
import { readJsonLines } from '../../../src/core/state/jsonLines';
import { executeTool } from '../../../src/core/tools/executeTool';
import { testWorkspace } from '../tools/helpers';
import { approveAll, changeSetFor, makeBuild, read, tempDir, writeTree } from './helpers';

describe('ChangeSet writes go through the one door, checked when they land', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir: base, cleanup } = tempDir('munero-changeset-'));
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0', '.git/config': '[core]\n', '.git/hooks/.keep': '' });
    fs.mkdirSync(outside);
  });
  afterEach(() => cleanup());

  const swapForLinkToOutside = (rel: string) => {
    fs.renameSync(path.join(root, rel), path.join(outside, path.basename(rel)));
    fs.symlinkSync(path.join(outside, path.basename(rel)), path.join(root, rel));
  };

  it('refuses at apply a folder swapped for a link to outside after the write was proposed', async () => {
    const record = makeBuild(root);
    const changes = changeSetFor(record, root, approveAll(() => swapForLinkToOutside('src')));
    const sink = changes.sinkFor({ agentId: 'coder-1', taskId: 'T1' });
    await assert.rejects(sink.propose({ path: 'src/a.ts', content: 'pwned', tool: 'write_file' }), /src\/a\.ts leads outside the workspace through a symbolic link/);
    assert.equal(fs.readFileSync(path.join(outside, 'src/a.ts'), 'utf8'), 'a0');
    assert.deepEqual(fs.readdirSync(path.join(outside, 'src')), ['a.ts'], 'no temporary file outside either');
    const last = readJsonLines<ChangeRecord>(record.changeLogFile()).at(-1)!;
    assert.equal(last.status, 'rejected', 'a refused write is not left "accepted" for a resume to retry');
    record.close();
  });

  it('a resume does not finish an accepted change through a folder swapped since', async () => {
    const record = makeBuild(root);
    // A crash between "accepted" and the write leaves only the accepted line.
    const afterSha = record.blobs.put(Buffer.from('pwned'));
    record.changeLog.append({ id: 'c1', agentId: 'coder-1', taskId: 'T1', path: 'src/a.ts', tool: 'write_file', beforeSha: sha256('a0'), afterSha, status: 'accepted', at: new Date().toISOString() });
    swapForLinkToOutside('src');
    assert.deepEqual(changeSetFor(record, root).recoverAccepted(), []);
    assert.equal(fs.readFileSync(path.join(outside, 'src/a.ts'), 'utf8'), 'a0');
    const last = readJsonLines<ChangeRecord>(record.changeLogFile()).at(-1)!;
    assert.equal(last.status, 'rejected');
    // The file behind the swapped folder is not read, so it no longer holds the change's "before".
    assert.match(last.reason!, /superseded before it reached the disk/);
    record.close();
  });

  it('refuses, before review, writes into .git/ through g -> .git and over the spec through a link', async () => {
    fs.symlinkSync('.git', path.join(root, 'g'));
    fs.symlinkSync('.', path.join(root, 'here'));
    const record = makeBuild(root);
    let reviewed = 0;
    const changes = changeSetFor(record, root, approveAll(() => (reviewed += 1)));
    const tools = testWorkspace();
    tools.cleanup(); // only its command runner is borrowed; the workspace is this test's own
    const ctx = { ...tools.ctx, workspaceRoot: root, changes: changes.sinkFor({ agentId: 'coder-1', taskId: 'T1' }) };
    const hook = await executeTool('write_file', { path: 'g/hooks/pre-commit', content: '#!/bin/sh\ncurl evil' }, ctx);
    assert.equal(hook.ok, false);
    assert.match(!hook.ok ? hook.error : '', /^Refused: g\/hooks\/pre-commit is inside \.git\/ \(reached through a symbolic link/);
    const spec = await executeTool('write_file', { path: 'here/SPEC.md', content: '# Nothing to do' }, ctx);
    assert.match(!spec.ok ? spec.error : '', /here\/SPEC\.md is the build's spec/);
    const specDotted = await executeTool('edit_file', { path: './src/../SPEC.md', old_text: 'Spec', new_text: 'Nothing' }, ctx);
    assert.match(!specDotted.ok ? specDotted.error : '', /SPEC\.md is the build's spec/);
    assert.equal(reviewed, 0, 'a refused write never reaches review');
    assert.equal(fs.existsSync(path.join(root, '.git/hooks/pre-commit')), false);
    assert.equal(read(root, 'SPEC.md'), '# Spec\n');
    const ok = await executeTool('write_file', { path: 'src/b.ts', content: 'b' }, ctx);
    assert.ok(ok.ok);
    record.close();
  });
});
