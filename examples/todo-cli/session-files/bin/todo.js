#!/usr/bin/env node
'use strict';
const store = require('../src/store');
const commands = require('../src/commands');

function main(argv, env = process.env, cwd = process.cwd()) {
  const [command, ...args] = argv;
  const file = store.storePath(env, cwd);
  const data = store.load(file);
  let output;
  switch (command) {
    case 'add': output = commands.add(data, args.join(' ')); break;
    case 'list': output = commands.list(data, args.includes('--all')); break;
    case 'done': output = commands.done(data, args[0]); break;
    case 'rm': output = commands.rm(data, args[0]); break;
    default: throw new commands.UsageError('usage: todo add <text> | list [--all] | done <id> | rm <id>');
  }
  if (command !== 'list') store.save(file, data);
  return output;
}

if (require.main === module) {
  try {
    process.stdout.write(main(process.argv.slice(2)) + '\n');
  } catch (err) {
    process.stderr.write(`todo: ${err.message}\n`);
    process.exit(1);
  }
}

module.exports = { main };
