import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { executeTool } from '../../../src/core/tools/executeTool';
import { testWorkspace, type TestWorkspace } from './helpers';

/**
 * A cloned repository commits links to files outside it, where search names tracked files to
 * ripgrep by hand (gitignored ones, node_modules fixtures): ripgrep would follow them.
 */
describe('search_files and committed links to outside the workspace', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = testWorkspace();
    fs.writeFileSync(path.join(ws.outside, 'secret.txt'), 'AWS_SECRET=TOPSECRET-outside\n');
    fs.writeFileSync(path.join(ws.root, '.gitignore'), 'cache/\n');
    fs.mkdirSync(path.join(ws.root, 'cache'));
    fs.mkdirSync(path.join(ws.root, 'node_modules', 'pkg'), { recursive: true });
    fs.symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'cache', 'creds'));
    fs.symlinkSync(path.join(ws.outside, 'secret.txt'), path.join(ws.root, 'node_modules', 'pkg', 'fixture'));
    fs.symlinkSync(ws.outside, path.join(ws.root, 'node_modules', 'pkg', 'dir-link'));
    fs.writeFileSync(path.join(ws.root, 'node_modules', 'pkg', 'real.txt'), 'TOPSECRET-inside is fine\n');
    execSync('git init -q && git add -f .gitignore cache/creds node_modules/pkg && git -c user.name=a -c user.email=b commit -qm x', { cwd: ws.root, stdio: 'ignore' });
  });
  afterEach(() => ws.cleanup());

  it('never reads through them, whatever the path asked for, and still finds tracked plain files', async () => {
    for (const input of [{ pattern: 'TOPSECRET' }, { pattern: 'TOPSECRET', path: 'cache' }, { pattern: 'TOPSECRET', path: 'node_modules' }]) {
      const outcome = await executeTool('search_files', input, ws.ctx);
      const text = outcome.ok ? outcome.content : outcome.error;
      assert.doesNotMatch(text, /TOPSECRET-outside/, JSON.stringify(input));
    }
    const all = await executeTool('search_files', { pattern: 'TOPSECRET' }, ws.ctx);
    assert.ok(all.ok);
    assert.match(all.content, /node_modules\/pkg\/real\.txt/);
  });
});
