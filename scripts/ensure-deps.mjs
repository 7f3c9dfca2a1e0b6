// Installs the npm dependencies when they are missing or older than package-lock.json, so that
// `npm run demo` and `npm test` are the whole setup on a fresh clone.
import { spawnSync } from 'node:child_process';
import { ensureDebianPackages, SANDBOX_PACKAGES } from './debianPackages.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

const stale = !fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs;
// A node_modules linked in from another checkout is that checkout's: npm ci here would empty it
// for everyone using it (a copy's package-lock.json is newer than the install it links to).
const linked = fs.lstatSync(path.join(root, 'node_modules'), { throwIfNoEntry: false })?.isSymbolicLink();
if (stale && linked) {
  console.warn('Note: node_modules is a link to another checkout; not reinstalling it from here (run npm ci there if it is out of date).');
} else if (stale) {
  console.log('Installing npm dependencies (npm ci)…');
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// Commands run in an OS sandbox (bubblewrap and socat); search and the sandbox use ripgrep.
const problem = ensureDebianPackages(SANDBOX_PACKAGES);
if (problem) console.warn(`Note: ${problem}. Builds refuse to run commands without a sandbox unless you pass --no-sandbox.`);
