'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const bin = path.join(__dirname, '..', 'bin', 'todo.js');

function todo(dir, ...args) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, TODO_FILE: '' } });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

test('R1, R2, R3, R4: add, list, done and rm work end to end in todo.json', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-cli-'));
  assert.deepStrictEqual(todo(dir, 'add', 'write', 'tests'), { code: 0, out: 'Added #1: write tests', err: '' });
  assert.strictEqual(todo(dir, 'list').out, '#1 [ ] write tests');
  assert.strictEqual(todo(dir, 'done', '1').out, 'Done #1');
  assert.strictEqual(todo(dir, 'list', '--all').out, '#1 [x] write tests');
  assert.ok(fs.existsSync(path.join(dir, 'todo.json')));
});

test('R1, R3: errors exit with code 1 and a message', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-cli-'));
  const r = todo(dir, 'done', '9');
  assert.strictEqual(r.code, 1);
  assert.match(r.err, /no task #9/);
  assert.strictEqual(todo(dir, 'add').code, 1);
});
