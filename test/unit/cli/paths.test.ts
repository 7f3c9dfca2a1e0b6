import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { specLocation, workspaceFolder } from '../../../src/cli/paths';

/** Runs `fn` with the process in `dir`, as a user who typed the command there. */
function inFolder<T>(dir: string, fn: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}

describe('where the CLI looks for the workspace and the spec', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-paths-')));
  const here = path.join(root, 'here');
  const project = path.join(root, 'project');
  before(() => {
    fs.mkdirSync(path.join(here, 'specs'), { recursive: true });
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(here, 'specs', 'a.md'), '# a\n');
    fs.writeFileSync(path.join(project, 'SPEC.md'), '# b\n');
    fs.writeFileSync(path.join(here, 'both.md'), '# here\n');
    fs.writeFileSync(path.join(project, 'both.md'), '# project\n');
  });

  it('reads a relative spec from the current folder when it is there, else from the workspace', () => {
    inFolder(here, () => {
      assert.equal(specLocation('specs/a.md', project), path.join(here, 'specs', 'a.md'));
      assert.equal(specLocation('SPEC.md', project), path.join(project, 'SPEC.md'));
      assert.equal(specLocation('both.md', project), path.join(here, 'both.md'), 'the current folder comes first');
      assert.equal(specLocation(path.join(project, 'SPEC.md'), here), path.join(project, 'SPEC.md'));
    });
  });

  it('names both places it looked when the spec is in neither, and one when they are the same folder', () => {
    inFolder(here, () => {
      assert.throws(() => specLocation('NOPE.md', project), (e: Error) => e.message.includes(`${path.join(here, 'NOPE.md')} (from the current folder) and ${path.join(project, 'NOPE.md')} (from --workspace)`));
      assert.throws(() => specLocation('NOPE.md', here), (e: Error) => e.message.includes(`looked for ${path.join(here, 'NOPE.md')}.`));
    });
  });

  it('takes the current folder without --workspace, and refuses one that is missing or a file', () => {
    inFolder(here, () => assert.equal(workspaceFolder(undefined), here));
    assert.throws(() => workspaceFolder(path.join(root, 'gone')), /there is no folder .*gone\. Give the project's folder/);
    assert.throws(() => workspaceFolder(path.join(project, 'SPEC.md')), /is a file, not a folder\. Give the project's folder, e\.g\. --workspace .*project/);
  });
});
