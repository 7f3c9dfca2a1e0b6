'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { add, list, done, rm, UsageError } = require('../src/commands');

const empty = () => ({ nextId: 1, tasks: [] });

test('add gives the first task id 1', () => {
  const data = empty();
  assert.strictEqual(add(data, 'buy milk'), 'Added #1: buy milk');
});

test('add refuses empty text', () => {
  assert.throws(() => add(empty(), '  '), UsageError);
});

test('list shows open tasks, --all shows finished ones too', () => {
  const data = empty();
  add(data, 'a');
  add(data, 'b');
  done(data, 1);
  assert.strictEqual(list(data), '#2 [ ] b');
  assert.strictEqual(list(data, true), '#1 [x] a\n#2 [ ] b');
  assert.strictEqual(list(empty()), 'Nothing to do.');
});

test('done on an unknown id names the id', () => {
  assert.throws(() => done(empty(), 7), /#7/);
});

test('ids are never reused after removing the newest task', () => {
  const data = empty();
  add(data, 'a');
  add(data, 'b');
  rm(data, 2);
  assert.strictEqual(add(data, 'c'), 'Added #3: c');
});
