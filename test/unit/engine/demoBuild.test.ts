import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { replayTranscript } from '../../../src/core/state/transcript';
import { loadScript, startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import { makeWorkspace, managerFor, repoRoot } from './helpers';

const example = path.join(repoRoot, 'examples', 'todo-cli');

describe('the bundled example, built end to end over real HTTP', function () {
  this.timeout(120_000);
  let server: ScriptedServer;
  let workspace: string;
  let result: Awaited<ReturnType<import('../../../src/core').BuildManager['start']>>;
  let events: import('../../../src/core').MuneroEvent[];

  before(async () => {
    server = await startScriptedServer({ script: loadScript(path.join(example, 'session.json')) });
    workspace = makeWorkspace({ 'SPEC.md': fs.readFileSync(path.join(example, 'SPEC.md'), 'utf8'), '.munero/config.json': '{}' });
    const built = managerFor(workspace, server);
    events = built.events;
    result = await built.manager.start('SPEC.md');
  });
  after(() => server.close());

  it('verifies every requirement', () => {
    assert.equal(result.outcome, 'verified', result.reason);
    assert.deepEqual(result.unmet, []);
    assert.deepEqual(result.requirements.map((r) => r.verdict), ['verified', 'verified', 'verified', 'verified', 'verified']);
  });

  it('sent no request the real API would reject, and used the whole script', () => {
    assert.deepEqual(server.rejected(), []);
    assert.deepEqual(server.remainingTurns(), []);
    assert.ok(server.log.every((e) => e.status === 200), JSON.stringify(server.log.filter((e) => e.status !== 200)));
  });

  it('fed the failing test of T2 back into its second attempt', () => {
    const t2 = events.filter((e) => e.type === 'task.finished' && e.taskId === 'T2');
    assert.deepEqual(t2.map((e) => (e as { status: string }).status), ['failed', 'done']);
    const secondAttempt = server.log.filter((e) => e.agent === 'coder' && e.task === 'T2')[3];
    const brief = JSON.stringify((secondAttempt.body as { messages: unknown[] }).messages[0]);
    assert.match(brief, /earlier attempt/);
    assert.match(brief, /ids are never reused after removing the newest task/);
    assert.match(brief, /Reflections on earlier attempts/);
    assert.match(brief, /stored counter \(nextId\)/);
  });

  it('leaves a project whose own tests pass', () => {
    const run = spawnSync('npm', ['test'], { cwd: workspace, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /# pass 11/);
  });

  it('kept state, events, transcripts and history in .munero/', () => {
    const dir = path.join(workspace, '.munero', 'builds', result.buildId);
    const lines = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).type, 'build.finished');
    assert.deepEqual(lines.map((e) => e.seq), lines.map((_, i) => i + 1));
    const transcripts = fs.readdirSync(path.join(dir, 'transcripts')).sort();
    assert.deepEqual(transcripts, ['coder-T1-a1.jsonl', 'coder-T2-a1.jsonl', 'coder-T2-a2.jsonl', 'coder-T3-a1.jsonl', 'planner.jsonl', 'reflector-T2-a1.jsonl']);
    const transcript = (agent: string) => fs.readFileSync(path.join(dir, 'transcripts', `${agent}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const first = transcript('planner')[0];
    assert.equal(first.request.model, 'claude-sonnet-5-5');
    assert.equal(first.response.content[1].name, 'submit_plan');
    const replayed = replayTranscript(transcript('coder-T2-a2')).map((r) => r.request);
    const sent = server.log.filter((e) => e.agent === 'coder' && e.task === 'T2').slice(3).map((e) => e.body);
    assert.deepEqual(replayed, sent, 'the transcript replays to exactly the requests the server received');
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'build.json'), 'utf8'));
    assert.equal(state.status, 'verified');
    assert.equal(state.usage.requests, server.log.length);
    assert.ok(state.usage.costUsd > 0);
    const history = fs.readFileSync(path.join(workspace, '.munero', 'history.jsonl'), 'utf8').trim().split('\n');
    assert.equal(JSON.parse(history[0]).buildId, result.buildId);
  });

  it('marks the cache breakpoints so later turns read the prompt cache', () => {
    const coder = server.log.filter((e) => e.agent === 'coder' && e.task === 'T1');
    const body = coder[1].body as { system: { cache_control?: unknown }[]; tools: { cache_control?: unknown }[] };
    assert.ok(body.system[0].cache_control);
    assert.ok(body.tools.at(-1)!.cache_control);
    assert.equal(body.tools.filter((t) => t.cache_control).length, 1);
  });

  it('rolls the workspace back to before the build, byte for byte', async () => {
    const { manager } = managerFor(workspace, server);
    const rolled = manager.rollback();
    assert.ok(rolled.restored.includes('src/commands.js'));
    assert.deepEqual(fs.readdirSync(workspace).sort(), ['.munero', 'SPEC.md']);
  });
});
