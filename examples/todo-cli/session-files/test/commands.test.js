'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { add, list, done, rm, UsageError } = require('../src/commands');

const empty = () => ({ nextId: 1, tasks: [] });

test('R1: add gives the first task id 1', () => {
  const data = empty();
  assert.strictEqual(add(data, 'buy milk'), 'Added #1: buy milk');
});

test('R1: add refuses empty text', () => {
  assert.throws(() => add(empty(), '  '), UsageError);
});

test('R2: list shows open tasks, --all shows finished ones too', () => {
  const data = empty();
  add(data, 'a');
  add(data, 'b');
  done(data, 1);
  assert.strictEqual(list(data), '#2 [ ] b');
  assert.strictEqual(list(data, true), '#1 [x] a\n#2 [ ] b');
  assert.strictEqual(list(empty()), 'Nothing to do.');
});

test('R3: done on an unknown id names the id', () => {
  assert.throws(() => done(empty(), 7), /#7/);
});

test('R4: ids are never reused after removing the newest task', () => {
  const data = empty();
  add(data, 'a');
  add(data, 'b');
  rm(data, 2);
  assert.strictEqual(add(data, 'c'), 'Added #3: c');
});
