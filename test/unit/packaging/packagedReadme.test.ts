import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../engine/helpers';

/** One file of a .vsix (a zip), read with unzip. */
function fromVsix(vsix: string, entry: string): string {
  const run = spawnSync('unzip', ['-p', vsix, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `${entry} is in ${vsix}: ${run.stderr}`);
  return run.stdout;
}

describe('the packaged extension README', function () {
  this.timeout(180_000);

  it('has no link or image that cannot work in VS Code: no example.invalid, nothing relative; anchors and web links kept', async () => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const harness = await import(pathToFileURL(path.join(repoRoot, 'test', 'vscode', 'harness.mjs')).href);
    const vsix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-vsix-')), 'munero.vsix');
    const pack = spawnSync(harness.vscePath, harness.vscePackageArgs(vsix), { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stdout + pack.stderr);

    const readme = fromVsix(vsix, 'extension/readme.md');
    const manifest = fromVsix(vsix, 'extension.vsixmanifest') + fromVsix(vsix, 'extension/package.json');
    assert.doesNotMatch(readme + manifest, /example\.invalid/);
    const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(targets.filter((t) => !/^https:\/\//.test(t) && !t.startsWith('#')), [], 'every link is https or an anchor in the page');
    assert.ok(targets.includes('#munero-as-an-mcp-server-munero-mcp'), 'in-page anchors are kept');
    assert.match(readme, /`npm run demo` copies `examples\/todo-cli\/SPEC\.md` into a fresh/, 'a link to a repository file keeps its text');
    assert.doesNotMatch(readme, /Taken by `npm run test:e2e`/, "a dropped image's caption goes with it");
    assert.match(readme, /^## In VS Code$/m);
  });
});
