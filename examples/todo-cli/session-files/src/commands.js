'use strict';

class UsageError extends Error {}

function add(data, text) {
  if (!text || !text.trim()) throw new UsageError('the task text is missing: todo add <text>');
  const id = data.nextId;
  data.nextId = id + 1;
  data.tasks.push({ id, text: text.trim(), done: false });
  return `Added #${id}: ${text.trim()}`;
}

function list(data, all = false) {
  const shown = data.tasks.filter((t) => all || !t.done);
  if (shown.length === 0) return 'Nothing to do.';
  return shown.map((t) => `#${t.id} [${t.done ? 'x' : ' '}] ${t.text}`).join('\n');
}

function find(data, id) {
  const task = data.tasks.find((t) => t.id === Number(id));
  if (!task) throw new UsageError(`no task #${id}`);
  return task;
}

function done(data, id) {
  find(data, id).done = true;
  return `Done #${id}`;
}

function rm(data, id) {
  const task = find(data, id);
  data.tasks = data.tasks.filter((t) => t !== task);
  return `Removed #${id}`;
}

module.exports = { UsageError, add, list, done, rm };
