import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScriptedServer } from '../../../src/scripted/server';
import { privateCli, runCli } from '../engine/cliRun';
import { ADD_SPEC, addAttempt, BROKEN_ADD, makeWorkspace, planTurn, repoRoot, serve } from '../engine/helpers';

/**
 * The torn and corrupted state campaign: one real build through the shipped CLI and the scripted
 * Messages API, then each file under `.munero/` truncated, zero-filled or garbled in a copy of
 * that workspace, and every command run on it in the order a user would. Each either recovers
 * (saying what from) or refuses naming the file; never a stack trace, never a silent reset.
 */

const ORIGINAL_ADD = 'exports.add = null; // to be written\n';

type Damage = 'truncated' | 'zero-filled' | 'garbled';
const DAMAGE: Record<Damage, (data: Buffer) => Buffer> = {
  truncated: (d) => d.subarray(0, Math.floor(d.length / 2)),
  'zero-filled': (d) => Buffer.alloc(d.length),
  // Control bytes and brackets mid-file: no JSON parser accepts them, inside a string or not.
  garbled: (d) => {
    const out = Buffer.from(d);
    const from = Math.floor(d.length / 3);
    [1, 0x7d, 2, 0x7b, 3, 0x22, 4, 0x5d].forEach((b, i) => from + i < out.length && (out[from + i] = b));
    return out;
  },
};

/**
 * Every file in every way is `MUNERO_STATE_CAMPAIGN=all` (42 cases, about six minutes on two cores); by
 * default build.json in every way and each other file in one, taken in turn.
 */
function damagesFor(name: string, index: number): Damage[] {
  const all = Object.keys(DAMAGE) as Damage[];
  return process.env.MUNERO_STATE_CAMPAIGN === 'all' || name === 'build.json' ? all : [all[index % all.length]];
}

type Command = 'status' | 'history' | 'report' | 'stats' | 'diff' | 'rollback' | 'status again' | 'resume' | 'build';
const COMMANDS: Command[] = ['status', 'history', 'report', 'stats', 'diff', 'rollback', 'status again', 'resume', 'build'];
const ARGS: Record<Command, string[]> = {
  status: ['status'],
  history: ['history'],
  // The report's figures: the state document with where the time and money went (from the event log).
  report: ['status', '--json'],
  stats: ['stats'],
  // One task's diff reads every checkpoint manifest (the timeline) and the saved file contents.
  diff: ['diff', '--task', 'T1'],
  rollback: ['rollback'],
  'status again': ['status'],
  resume: ['resume'],
  build: ['build', 'SPEC.md'],
};
/** An intact copy: the build ended verified, so resume has nothing to do. */
const EXIT: Record<Command, number> = { status: 0, history: 0, report: 0, stats: 0, diff: 0, rollback: 0, 'status again': 0, resume: 2, build: 0 };

interface Target {
  /** The file under `.munero/`, found in the built workspace. */
  file: (m: Layout) => string;
  /** Writes the file first when the build leaves none (a lock is gone once its build ends). */
  create?: (file: string) => void;
  /** Commands that read the file, so their output must name it (the first one, at least, when it recovers quietly after). */
  named: Command[];
  /** Exit codes that differ from an intact copy's. */
  exit?: Partial<Record<Command, number>>;
  /** A new build reads or appends to this file; otherwise it never opens the earlier build's files and is not run. */
  newBuildReads?: boolean;
  /** A JSON document is moved aside, not rewritten: the damaged bytes are kept in a `.corrupt-` sibling. */
  keptAside?: boolean;
  /** Rollback to `start` still restores the original files. */
  rollsBack?: boolean;
}

interface Layout {
  build: string;
  startBlob: string;
}

const TARGETS: Record<string, Target> = {
  'build.json': { file: (m) => `builds/${m.build}/build.json`, named: ['status', 'status again'], keptAside: true, rollsBack: true },
  'current.json': { file: () => 'current.json', named: ['status'], keptAside: true, rollsBack: true, newBuildReads: true },
  'history.jsonl': { file: () => 'history.jsonl', named: ['history'], rollsBack: true, newBuildReads: true },
  'the event log': { file: (m) => `builds/${m.build}/events.jsonl`, named: ['report', 'rollback'], rollsBack: true },
  'the change log': { file: (m) => `builds/${m.build}/changes.jsonl`, named: ['rollback'] },
  'a transcript': { file: (m) => `builds/${m.build}/transcripts/planner.jsonl`, named: [], rollsBack: true },
  'a task checkpoint': { file: (m) => `builds/${m.build}/checkpoints/task-T1-a2.json`, named: ['diff'], exit: { diff: 2 }, keptAside: true, rollsBack: true },
  'the start checkpoint': { file: (m) => `builds/${m.build}/checkpoints/start.json`, named: ['diff'], keptAside: true, rollsBack: true },
  'a blob (add.js before the build)': { file: (m) => `builds/${m.build}/blobs/${m.startBlob}`, named: ['diff', 'rollback'], exit: { diff: 2, rollback: 2 } },
  'learning/patterns.json': { file: () => 'learning/patterns.json', named: ['build'], exit: { build: 2 }, keptAside: true, rollsBack: true, newBuildReads: true },
  'learning/solutions.jsonl': { file: () => 'learning/solutions.jsonl', named: ['build'], rollsBack: true, newBuildReads: true },
  'learning/performance.jsonl': { file: () => 'learning/performance.jsonl', named: ['stats'], rollsBack: true, newBuildReads: true },
  // A lock left by a process that died (its pid is not running), then damaged: no build may guess it away.
  'the lock': {
    file: () => 'lock',
    create: (file) => fs.writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 17, host: os.hostname(), buildId: 'b-gone', startedAt: '2026-01-01T00:00:00.000Z' }, null, 2)),
    named: ['build'],
    exit: { build: 2 },
    rollsBack: true,
    newBuildReads: true,
  },
  'config.json': { file: () => 'config.json', named: ['build'], exit: { build: 2 }, rollsBack: true, newBuildReads: true },
};

describe('torn and corrupted state: every command recovers or names the file (the real CLI)', function () {
  this.timeout(30 * 60_000);
  let server: ScriptedServer | undefined;
  let built: string;
  let layout: Layout;
  let bundleDir: string | undefined;
  let munero: (args: string[], env?: Record<string, string>) => ReturnType<typeof runCli>;

  before(async () => {
    const bundle = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bundle.status, 0, bundle.stderr);
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-cli-'));
    const bundled = privateCli(bundleDir);
    munero = (args, env = {}) => runCli(args, env, undefined, bundled);
    // A failed first attempt, so the learning files exist too.
    server = await serve([planTurn(), ...addAttempt('T1', BROKEN_ADD), ...addAttempt()]);
    built = makeWorkspace({ 'SPEC.md': ADD_SPEC, 'add.js': ORIGINAL_ADD });
    const run = await munero(['build', 'SPEC.md', '--workspace', built], { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url });
    assert.equal(run.code, 0, run.out + run.err);
    await server.close();
    server = undefined;
    const build = JSON.parse(read(built, '.munero/current.json')).buildId;
    const start = JSON.parse(read(built, `.munero/builds/${build}/checkpoints/start.json`));
    layout = { build, startBlob: start.files['add.js'].blob };
  });
  after(async () => {
    await server?.close();
    if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
    if (built) fs.rmSync(built, { recursive: true, force: true });
  });

  Object.entries(TARGETS).forEach(([name, target], index) => {
    for (const damage of damagesFor(name, index)) {
      it(`${name} ${damage}`, async () => {
        const workspace = fs.mkdtempSync(`${built}-copy-`);
        fs.cpSync(built, workspace, { recursive: true });
        const rel = target.file(layout);
        const file = path.join(workspace, '.munero', rel);
        target.create?.(file);
        const damaged = DAMAGE[damage](fs.readFileSync(file));
        fs.writeFileSync(file, damaged);

        for (const command of COMMANDS.filter((c) => c !== 'build' || target.newBuildReads)) {
          const env: Record<string, string> = { ANTHROPIC_API_KEY: 'k' };
          if (command === 'build') {
            server = await serve([planTurn(), ...addAttempt()]);
            env.ANTHROPIC_BASE_URL = server.url;
          }
          const run = await munero([...ARGS[command], '--workspace', workspace], env);
          await server?.close();
          server = undefined;
          const said = run.out + run.err;
          const where = `${name} ${damage}, munero ${ARGS[command].join(' ')}:\n${said}`;
          assert.equal(run.code, target.exit?.[command] ?? EXIT[command], where);
          assert.doesNotMatch(said, /\n\s+at .+:\d+:\d+\)?\n/, `a stack trace: ${where}`);
          assert.doesNotMatch(said, /unexpected error/, where);
          if (target.named.includes(command)) assert.ok(said.includes(rel), `does not name ${rel}: ${where}`);
          if (command === 'rollback' && target.rollsBack) {
            assert.equal(read(workspace, 'add.js'), ORIGINAL_ADD, where);
            assert.equal(fs.existsSync(path.join(workspace, 'add.test.js')), false, where);
          }
        }
        if (target.keptAside) {
          const dir = path.dirname(file);
          const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${path.basename(file)}.corrupt-`));
          assert.ok(aside.some((f) => fs.readFileSync(path.join(dir, f)).equals(damaged)), `the damaged ${rel} is kept aside: ${fs.readdirSync(dir).join(', ')}`);
        }
        fs.rmSync(workspace, { recursive: true, force: true });
      });
    }
  });

  it('after build.json is damaged, status says the build was rebuilt and from what, and rollback works from the checkpoints', async () => {
    const workspace = fs.mkdtempSync(`${built}-copy-`);
    fs.cpSync(built, workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, '.munero', 'builds', layout.build, 'build.json'), '{"id": "');
    const first = await munero(['status', '--workspace', workspace]);
    assert.equal(first.code, 0, first.err);
    assert.match(first.err, /build\.json was corrupted \(line 1, column 9: Unterminated string\) and was moved to .*build\.json\.corrupt-/);
    assert.match(first.err, /rebuilt from the task state of checkpoint "iter-2", \d+ events in events\.jsonl, its line in history\.jsonl/);
    assert.match(first.out, new RegExp(`Build ${layout.build}: verified`));
    assert.match(first.out, /R1 verified/);
    assert.match(first.out, /Lost: the build options/);
    const history = await munero(['history', '--workspace', workspace]);
    assert.match(history.out, new RegExp(`${layout.build}\\s+verified`));
    const rolled = await munero(['rollback', '--workspace', workspace]);
    assert.equal(rolled.code, 0, rolled.err);
    assert.equal(read(workspace, 'add.js'), ORIGINAL_ADD);
    const after = await munero(['status', '--workspace', workspace]);
    assert.match(after.out, /files rolled back to checkpoint "start" .*undo with `munero rollback before-rollback-1`/);
    assert.doesNotMatch(after.out, /^Build \S+: verified/m);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('a build whose document was rebuilt before it ended is shown paused and is not resumed: the way on is rollback and a new build', async () => {
    const workspace = fs.mkdtempSync(`${built}-copy-`);
    fs.cpSync(built, workspace, { recursive: true });
    const dir = path.join(workspace, '.munero', 'builds', layout.build);
    // As if the process died before the build ended: no end in the event log, no history line.
    const events = read(workspace, `.munero/builds/${layout.build}/events.jsonl`).split('\n').filter((l) => l && JSON.parse(l).type !== 'build.finished');
    fs.writeFileSync(path.join(dir, 'events.jsonl'), events.join('\n') + '\n');
    fs.rmSync(path.join(workspace, '.munero', 'history.jsonl'));
    fs.writeFileSync(path.join(dir, 'build.json'), Buffer.alloc(300));
    const status = await munero(['status', '--workspace', workspace]);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /: paused — it stopped before it ended; its state document was rebuilt, so it cannot be resumed/);
    const resume = await munero(['resume', '--workspace', workspace], { ANTHROPIC_API_KEY: 'k' });
    assert.equal(resume.code, 2, resume.err);
    assert.match(resume.err, /cannot be resumed: its state document .*build\.json was rebuilt from its logs .* `munero rollback` restores the files, then start a new build/);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('a paused build shows the task it stopped in as paused, not running', async () => {
    const workspace = fs.mkdtempSync(`${built}-copy-`);
    fs.cpSync(built, workspace, { recursive: true });
    // What the engine leaves when a build pauses mid-task (the task's attempt starts over on resume).
    const file = path.join(workspace, '.munero', 'builds', layout.build, 'build.json');
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...state, status: 'paused', stopReason: 'interrupted', tasks: { T1: { ...state.tasks.T1, status: 'running' } } }));
    const status = await munero(['status', '--workspace', workspace]);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /^ {2}T1 paused \(2 attempts\): add$/m);
    assert.doesNotMatch(status.out, /running/);
    fs.rmSync(workspace, { recursive: true, force: true });
  });
});

function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}
