import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { cli, runCli } from '../engine/cliRun';
import { addAttempt, ADD_SPEC, makeWorkspace, planTurn, repoRoot, serve } from '../engine/helpers';
import { hasStackTrace, miscountedPhrases, saysWhatToDo } from './messageRules';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function munero(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ANTHROPIC_API_KEY: undefined, ...options.env },
    input: '',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** A workspace as a user has it: only the files given, no test config. */
function folder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-msg-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const SPEC = '# notes\n\n## Requirements\n\n- R1: `note(text)` in note.js stores a note.\n';
const withKey = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

interface ErrorCase {
  what: string;
  args: (dir: string) => string[];
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** The file, setting, flag or name the message must be about. */
  names: (dir: string) => RegExp | string;
  code?: number;
}

const CASES: ErrorCase[] = [
  { what: 'an unknown command', args: () => ['frobnicate'], names: () => '"frobnicate"' },
  { what: 'a misspelt command', args: () => ['bulid', 'SPEC.md'], names: () => /did you mean `munero build`/i },
  { what: 'an unknown option', args: () => ['build', 'SPEC.md', '--frob'], names: () => '--frob' },
  { what: 'an option another command takes', args: () => ['status', '--force'], names: () => '--force' },
  { what: 'a negative --parallel', args: () => ['build', 'SPEC.md', '--parallel', '-1'], names: () => /--parallel must be a whole number from 1 to 32, got "-1"/ },
  { what: 'a --parallel over the limit', args: () => ['build', 'SPEC.md', '--parallel', '99'], names: () => /--parallel .*"99"/ },
  { what: 'a word for a number', args: () => ['build', 'SPEC.md', '--max-iterations', 'lots'], names: () => /--max-iterations .*"lots"/ },
  { what: 'an unknown review mode', args: () => ['build', 'SPEC.md', '--review', 'sometimes'], names: () => /--review .*"sometimes"/ },
  { what: 'an option without its value', args: () => ['build', 'SPEC.md', '--model'], names: () => '--model' },
  { what: 'a value given to a switch', args: () => ['status', '--json=yes'], names: () => '--json' },
  { what: 'a stray argument', args: () => ['status', 'extra'], names: () => '"extra"' },
  { what: 'build without a spec', args: () => ['build'], names: () => /spec/ },
  { what: 'a spec that is not there', args: (d) => ['build', 'NOPE.md', '--workspace', d], names: (d) => path.join(d, 'NOPE.md') },
  { what: 'a workspace that is not there', args: () => ['status', '--workspace', '/does/not/exist'], names: () => '/does/not/exist' },
  { what: 'a workspace that is a file', args: (d) => ['history', '--workspace', path.join(d, 'SPEC.md')], files: { 'SPEC.md': SPEC }, names: (d) => path.join(d, 'SPEC.md') },
  { what: 'a spec without requirements', args: (d) => ['build', 'SPEC.md', '--workspace', d], files: { 'SPEC.md': '# notes\n\nSome prose.\n' }, names: (d) => path.join(d, 'SPEC.md') },
  { what: 'no API key', args: (d) => ['build', 'SPEC.md', '--workspace', d], files: { 'SPEC.md': SPEC }, names: () => 'ANTHROPIC_API_KEY' },
  {
    what: 'broken JSON in .munero/config.json',
    args: (d) => ['build', 'SPEC.md', '--workspace', d],
    files: { 'SPEC.md': SPEC, '.munero/config.json': '{\n  "parallel": 2,\n' },
    env: withKey,
    names: (d) => path.join(d, '.munero', 'config.json'),
  },
  {
    what: 'a wrong setting in .munero/config.json',
    args: (d) => ['build', 'SPEC.md', '--workspace', d],
    files: { 'SPEC.md': SPEC, '.munero/config.json': '{ "parallel": 0 }' },
    env: withKey,
    names: () => /config\.json[\s\S]*parallel/,
  },
  {
    what: 'a misspelt setting in .munero/config.json',
    args: (d) => ['build', 'SPEC.md', '--workspace', d],
    files: { 'SPEC.md': SPEC, '.munero/config.json': '{ "paralel": 2 }' },
    env: withKey,
    names: () => /paralel: no such setting \(did you mean "parallel"\?\)/,
  },
  {
    what: 'broken JSON in .munero/agents.json',
    args: (d) => ['build', 'SPEC.md', '--workspace', d],
    files: { 'SPEC.md': SPEC, '.munero/agents.json': '{ "roles": { ' },
    env: withKey,
    names: (d) => path.join(d, '.munero', 'agents.json'),
  },
  { what: 'resume with no build yet', args: (d) => ['resume', '--workspace', d], names: (d) => d },
  { what: 'rollback with no build yet', args: (d) => ['rollback', '--workspace', d], names: (d) => d },
  { what: 'diff with no build yet', args: (d) => ['diff', '--workspace', d], names: (d) => d },
  {
    what: 'a corrupted build.json',
    args: (d) => ['status', '--workspace', d],
    files: { '.munero/current.json': '{"buildId":"b1"}', '.munero/builds/b1/build.json': '{"id": "b1", "status": ' },
    names: () => 'build.json',
  },
  { what: 'spec check of a missing file', args: (d) => ['spec', 'check', path.join(d, 'nope.md')], names: () => 'nope.md' },
  { what: 'an unknown mcp subcommand', args: () => ['mcp', 'frobnicate'], names: () => '"frobnicate"' },
  { what: 'serve-script without a script', args: () => ['serve-script'], names: () => /script/ },
  { what: 'serve-script with --workspace', args: () => ['serve-script', 'x.json', '--workspace', '.'], names: () => '--workspace' },
  { what: 'serve-script with a missing script', args: (d) => ['serve-script', path.join(d, 'nope.json')], names: () => 'nope.json' },
];

function checkRules(label: string, text: string): void {
  assert.deepEqual(miscountedPhrases(text), [], `${label}: counts spelled for their number in:\n${text}`);
  assert.ok(!hasStackTrace(text), `${label}: no stack trace in:\n${text}`);
}

describe('every message a user can see, through the real munero command', function () {
  this.timeout(120_000);
  before(() => {
    const bundle = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bundle.status, 0, bundle.stderr);
  });

  for (const c of CASES) {
    it(`${c.what}: exit ${c.code ?? 2}, a message naming what it is about and what to do, no stack trace`, () => {
      const dir = folder(c.files);
      const run = munero(c.args(dir), { cwd: dir, env: c.env });
      const message = run.err.split('\n\nUsage:')[0]!.split('\n\nMunero turns')[0]!;
      assert.equal(run.code, c.code ?? 2, `exit code; stderr:\n${run.err}\nstdout:\n${run.out}`);
      assert.ok(message.trim().length > 0, `a message on stderr (stdout: ${run.out})`);
      const subject = c.names(dir);
      if (typeof subject === 'string') assert.ok(message.includes(subject), `names ${subject}:\n${message}`);
      else assert.match(message, subject);
      assert.ok(saysWhatToDo(message), `says what to do next:\n${message}`);
      checkRules(c.what, run.err + run.out);
    });
  }

  it('status and history before any build say so and how to start one', () => {
    const dir = folder();
    for (const command of ['status', 'history']) {
      const run = munero([command, '--workspace', dir]);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /munero build/, `${command} says how to start a build:\n${run.out}`);
    }
  });

  describe('after a build of one task in one attempt', () => {
    let server: ScriptedServer;
    after(() => server?.close());

    it('build, status, history, diff and rollback spell every count for its number', async () => {
      server = await serve([planTurn(), ...addAttempt()]);
      const dir = makeWorkspace({ 'SPEC.md': ADD_SPEC });
      const build = await runCli(['build', 'SPEC.md', '--workspace', dir], { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url });
      assert.equal(build.code, 0, build.out + build.err);
      assert.match(build.out, /1 requirement from/);
      const outputs = [build, munero(['status', '--workspace', dir]), munero(['history', '--workspace', dir]), munero(['diff', '--workspace', dir]), munero(['rollback', '--workspace', dir])];
      assert.match(outputs[1]!.out, /T1 done \(1 attempt\)/);
      for (const [i, run] of outputs.entries()) {
        assert.equal(run.code, 0, run.err);
        checkRules(`output ${i}`, run.out + run.err);
      }
    });
  });
});
