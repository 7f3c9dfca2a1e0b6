'use strict';
const fs = require('node:fs');
const path = require('node:path');

class StoreError extends Error {}

function storePath(env = process.env, cwd = process.cwd()) {
  return env.TODO_FILE ? path.resolve(cwd, env.TODO_FILE) : path.join(cwd, 'todo.json');
}

function load(file) {
  if (!fs.existsSync(file)) return { nextId: 1, tasks: [] };
  const text = fs.readFileSync(file, 'utf8');
  try {
    const data = JSON.parse(text);
    return { nextId: data.nextId ?? 1, tasks: data.tasks ?? [] };
  } catch (err) {
    throw new StoreError(`${file} is not valid JSON (${err.message}); fix or remove it`);
  }
}

function save(file, data) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

module.exports = { StoreError, storePath, load, save };
