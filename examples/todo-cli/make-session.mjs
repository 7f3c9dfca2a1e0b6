// Writes session.json, the scripted model session of this example, from the files in
// session-files/ (what the scripted coders "write"). Run it after changing those files:
//   node examples/todo-cli/make-session.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = (rel) => fs.readFileSync(path.join(here, 'session-files', rel), 'utf8');
const text = (t) => ({ type: 'text', text: t });
const tool = (name, input) => ({ type: 'tool_use', name, input });
const write = (p, content = file(p)) => tool('write_file', { path: p, content });

// The first attempt at T2 allocates ids from the list's length, so an id is reused after `rm`.
const FIXED_ID = '  const id = data.nextId;\n  data.nextId = id + 1;';
const BUGGY_ID = '  const id = data.tasks.length + 1;';
const buggyCommands = file('src/commands.js').replace(FIXED_ID, BUGGY_ID);
if (!buggyCommands.includes(BUGGY_ID)) throw new Error('session-files/src/commands.js no longer holds the id allocation this session edits');

const plan = [
  {
    id: 'T1',
    title: 'Storage module',
    description: 'Create package.json with `node --test test/` as the test script, and src/store.js with storePath(env, cwd), load(file) and save(file, data). A missing file is an empty list {nextId: 1, tasks: []}; invalid JSON throws StoreError naming the path and leaves the file untouched; saves are atomic. Tests in test/store.test.js.',
    requirements: ['R5'],
    depends_on: [],
    files: ['package.json', 'src/store.js', 'test/store.test.js'],
  },
  {
    id: 'T2',
    title: 'Commands: add, list, done, rm',
    description: 'src/commands.js with add(data, text), list(data, all), done(data, id), rm(data, id) returning the output line, throwing UsageError on bad input. Ids come from data.nextId and are never reused. Tests in test/commands.test.js.',
    requirements: ['R1', 'R2', 'R3', 'R4'],
    depends_on: ['T1'],
    files: ['src/commands.js', 'test/commands.test.js'],
  },
  {
    id: 'T3',
    title: 'Command-line entry point',
    description: 'bin/todo.js: dispatches argv to the commands, loads and saves the store, prints output, exits 1 with `todo: <message>` on errors. End-to-end tests in test/cli.test.js that run the real binary in a temporary folder.',
    requirements: ['R1', 'R2', 'R3', 'R5'],
    depends_on: ['T1', 'T2'],
    files: ['bin/todo.js', 'test/cli.test.js'],
  },
];

const turns = [
  { agent: 'planner', content: [text('Three tasks: storage first, then the commands, then the CLI on top.'), tool('submit_plan', { tasks: plan })] },

  { agent: 'coder', task: 'T1', content: [text('Looking at the workspace first.'), tool('list_files', {})] },
  { agent: 'coder', task: 'T1', content: [write('package.json'), write('src/store.js'), write('test/store.test.js')] },
  { agent: 'coder', task: 'T1', content: [tool('run_command', { command: 'npm test' })] },
  { agent: 'coder', task: 'T1', content: [tool('task_complete', { summary: 'Added package.json, the JSON store with TODO_FILE support and its tests.' })], expect: { tool_results_contain: ['# pass 4'] } },

  // T2's first attempt has a bug (ids reused after rm) and claims completion without running the tests.
  { agent: 'coder', task: 'T2', content: [tool('read_file', { path: 'src/store.js' })] },
  { agent: 'coder', task: 'T2', content: [write('src/commands.js', buggyCommands), write('test/commands.test.js')] },
  { agent: 'coder', task: 'T2', content: [tool('task_complete', { summary: 'Added the four commands and their tests.' })] },
  // The reflector explains the failure; its lesson goes to the learning database and the next attempt.
  {
    agent: 'reflector',
    task: 'T2',
    content: [
      tool('submit_reflection', {
        task_id: 'T2',
        root_cause: 'add() derives the next id from the number of tasks, so after removing the newest task its id is handed out again.',
        lesson: 'Allocate ids from a stored counter (nextId) that only ever grows, never from the current number of items.',
        next_action: 'retry',
      }),
    ],
  },
  // Second attempt: Munero fed the failing test and the reflection back; the coder fixes the id allocation.
  { agent: 'coder', task: 'T2', content: [text('The failing test shows ids are reused after rm; ids must come from nextId.'), tool('read_file', { path: 'src/commands.js', start_line: 1, end_line: 12 })] },
  {
    agent: 'coder',
    task: 'T2',
    content: [tool('edit_file', { path: 'src/commands.js', old_text: BUGGY_ID, new_text: FIXED_ID })],
  },
  { agent: 'coder', task: 'T2', content: [tool('run_command', { command: 'npm test' })] },
  { agent: 'coder', task: 'T2', content: [tool('task_complete', { summary: 'Ids now come from nextId, so they are never reused; all tests pass.' })], expect: { tool_results_contain: ['# fail 0'] } },

  { agent: 'coder', task: 'T3', content: [write('bin/todo.js'), write('test/cli.test.js')] },
  { agent: 'coder', task: 'T3', content: [tool('run_command', { command: 'npm test' })] },
  { agent: 'coder', task: 'T3', content: [tool('task_complete', { summary: 'Added bin/todo.js and end-to-end tests.' })], expect: { tool_results_contain: ['# fail 0'] } },
];

const script = { version: 1, description: 'todo-cli example: 3 tasks; T2 fails its first attempt, the reflector finds why, and the second attempt passes', turns };
fs.writeFileSync(path.join(here, 'session.json'), JSON.stringify(script, null, 2) + '\n');
console.log(`wrote ${turns.length} turns to ${path.join(here, 'session.json')}`);
