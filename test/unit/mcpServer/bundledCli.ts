import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../engine/helpers';

/** The bundled `munero` command the MCP tests start as a real child process. */
export const cli = path.join(repoRoot, 'dist', 'cli.js');

/** Bundles dist/cli.js from the current sources (a mocha `before` hook). */
export function bundleCli(): void {
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
}
