'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { load, save, storePath, StoreError } = require('../src/store');

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'todo-'));

test('R5: a missing file is an empty list', () => {
  assert.deepStrictEqual(load(path.join(tmp(), 'todo.json')), { nextId: 1, tasks: [] });
});

test('R5: saved tasks load back', () => {
  const file = path.join(tmp(), 'todo.json');
  save(file, { nextId: 2, tasks: [{ id: 1, text: 'milk', done: false }] });
  assert.deepStrictEqual(load(file).tasks, [{ id: 1, text: 'milk', done: false }]);
});

test('R5: TODO_FILE names the file', () => {
  assert.strictEqual(storePath({ TODO_FILE: 'lists/a.json' }, '/work'), path.resolve('/work/lists/a.json'));
  assert.strictEqual(storePath({}, '/work'), path.join('/work', 'todo.json'));
});

test('R5: a broken file is reported with its path and left untouched', () => {
  const file = path.join(tmp(), 'todo.json');
  fs.writeFileSync(file, '{ not json');
  assert.throws(() => load(file), (err) => err instanceof StoreError && err.message.includes(file));
  assert.strictEqual(fs.readFileSync(file, 'utf8'), '{ not json');
});
