import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../engine/cliRun';

describe('the CLI\'s output through a pipe', function () {
  this.timeout(60_000);

  it('reaches a slow reader whole: a JSON report of hundreds of KB is not cut when the command exits', function () {
    if (process.platform === 'win32') this.skip(); // the pipe is made by sh
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-piped-'));
    const requirements = Array.from({ length: 2000 }, (_, i) => `- R${i + 1}: part${i + 1}() in src/part${i + 1}.js returns ${i + 1}.`);
    fs.writeFileSync(path.join(dir, 'SPEC.md'), ['# big', '', '## Requirements', '', ...requirements, ''].join('\n'));
    const command = `"${process.execPath}" "${cli}" spec check SPEC.md --json`;
    const toFile = spawnSync('sh', ['-c', `${command} > whole.json`], { cwd: dir, encoding: 'utf8' });
    assert.equal(toFile.status, 0, toFile.stderr);
    const size = fs.statSync(path.join(dir, 'whole.json')).size;
    assert.ok(size > 256 * 1024, `the report is ${size} bytes, too small to fill a pipe`);
    // The reader starts after the command has written everything and asked to exit.
    const piped = spawnSync('sh', ['-c', `${command} | (sleep 1; wc -c)`], { cwd: dir, encoding: 'utf8' });
    assert.equal(Number(piped.stdout.trim()), size, piped.stderr);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
