// npm run demo: builds the bundled todo-cli example in a fresh temporary workspace, with the
// scripted Messages-API server standing in for Claude (no API key, no network), then runs the
// built project's own tests by hand.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const example = path.join(root, 'examples', 'todo-cli');

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-demo-'));
fs.copyFileSync(path.join(example, 'SPEC.md'), path.join(workspace, 'SPEC.md'));
console.log(`Demo workspace: ${workspace}\n`);

const server = spawn(process.execPath, [cli, 'serve-script', path.join(example, 'session.json'), '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  let seen = '';
  const timer = setTimeout(() => reject(new Error('the scripted server did not start within 10 s')), 10_000);
  server.stdout.on('data', (chunk) => {
    seen += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(seen);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  });
  server.on('exit', (code) => reject(new Error(`the scripted server exited with code ${code}`)));
});

let code = 1;
try {
  const build = spawnSync(process.execPath, [cli, 'build', 'SPEC.md', '--workspace', workspace], {
    stdio: 'inherit',
    env: { ...process.env, ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: 'scripted-demo-key' },
  });
  code = build.status ?? 1;
  console.log(`\nmunero build exited with code ${code}. Running the built project's own tests (npm test):\n`);
  const tests = spawnSync('npm', ['test', '--silent'], { cwd: workspace, encoding: 'utf8' });
  const summary = (tests.stdout + tests.stderr).split('\n').filter((l) => /^# (tests|pass|fail)/.test(l));
  console.log(summary.join('\n'));
  console.log(tests.status === 0 ? '\nThe todo project works: its tests pass.' : '\nThe todo project\'s tests FAIL.');
  if (tests.status !== 0) code = code || 1;
  console.log(`Try it: cd ${workspace} && node bin/todo.js add "read the Munero README" && node bin/todo.js list`);
} finally {
  server.kill('SIGTERM');
}
process.exit(code);
