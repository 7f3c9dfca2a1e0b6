import assert from 'node:assert/strict';
import { MODEL_LIMITS, PanelModel, tailText } from '../../../src/extension/panel/panelModel';
import { PANEL_LIMITS, type BuildView } from '../../../src/extension/protocol';
import { ev, usage } from './helpers';

const started = () => ev({ type: 'build.started', buildId: 'b1', specPath: 'SPEC.md', requirementIds: ['R1', 'R2'], resumed: false });
const plan = (...ids: string[]) => ev({ type: 'plan.accepted', version: 1, tasks: ids.map((id) => ({ id, title: `do ${id}`, requirements: ['R1'], dependsOn: [] })) });

function startedModel(): PanelModel {
  const m = new PanelModel();
  m.apply(started());
  m.apply(plan('T1', 'T2'));
  m.takeUpdate();
  return m;
}

describe('PanelModel', () => {
  it('starts a build view and asks for a reset when the build is new', () => {
    const m = new PanelModel();
    m.apply(started());
    const s = m.snapshot();
    assert.deepEqual(s.build, { id: 'b1', specPath: 'SPEC.md', status: 'running', iteration: 0, maxIterations: 0 });
    assert.equal(s.timeline.length, 1);
    assert.match(s.timeline[0]!.text, /Started build b1 \(2 requirements\)/);
    assert.equal(m.needsReset, true);
    assert.equal(m.takeUpdate()?.type, 'reset');
    assert.equal(m.needsReset, false);
    assert.equal(m.takeUpdate(), undefined);
  });

  it('keeps the limits of a build set by reset(), and clears its stop reason on resume', () => {
    const m = new PanelModel();
    const view: BuildView = { id: 'b1', specPath: 'SPEC.md', status: 'paused', iteration: 2, maxIterations: 5, maxCostUsd: 3, stopReason: 'interrupted' };
    m.reset(view);
    m.apply(ev({ type: 'build.started', buildId: 'b1', specPath: 'SPEC.md', requirementIds: [], resumed: true }));
    assert.deepEqual(m.snapshot().build, { id: 'b1', specPath: 'SPEC.md', status: 'running', iteration: 2, maxIterations: 5, maxCostUsd: 3 });
    assert.match(m.snapshot().timeline[0]!.text, /^Resumed build b1/);
    m.apply(ev({ type: 'iteration.started', iteration: 3 }));
    assert.equal(m.snapshot().build?.iteration, 3);
  });

  it('another build clears the previous one', () => {
    const m = startedModel();
    m.apply(ev({ type: 'build.started', buildId: 'b2', specPath: 'OTHER.md', requirementIds: [], resumed: false }));
    const s = m.snapshot();
    assert.equal(s.build?.id, 'b2');
    assert.deepEqual(s.tasks, []);
    assert.equal(s.timeline.length, 1);
    assert.equal(m.takeUpdate()?.type, 'reset');
  });

  it('plan.accepted lists the tasks as pending, in plan order', () => {
    const m = new PanelModel();
    m.apply(plan('T1', 'T2', 'T3'));
    const s = m.snapshot();
    assert.deepEqual(s.tasks.map((t) => [t.id, t.status, t.attempts]), [['T1', 'pending', 0], ['T2', 'pending', 0], ['T3', 'pending', 0]]);
    assert.equal(s.tasks[0]!.title, 'do T1');
    assert.match(s.timeline.at(-1)!.text, /Plan v1 accepted: 3 tasks/);
  });

  it('a new plan that drops tasks needs a reset; one that keeps them does not', () => {
    const m = startedModel();
    m.apply(plan('T1', 'T2', 'T3'));
    assert.equal(m.needsReset, false);
    m.apply(plan('T1'));
    assert.equal(m.needsReset, true);
  });

  it('task.started and task.finished set status, attempts and the failure reason', () => {
    const m = startedModel();
    m.apply(ev({ type: 'task.started', taskId: 'T1', attempt: 1 }));
    assert.deepEqual(m.takePatch()?.tasks?.map((t) => [t.id, t.status, t.attempts]), [['T1', 'running', 1]]);
    m.apply(ev({ type: 'task.finished', taskId: 'T1', status: 'failed', attempt: 1, reason: 'tests failed' }));
    let t1 = m.snapshot().tasks[0]!;
    assert.equal(t1.status, 'failed');
    assert.equal(t1.reason, 'tests failed');
    const last = m.snapshot().timeline.at(-1)!;
    assert.deepEqual([last.text, last.level], ['T1 failed: tests failed', 'error']);
    m.apply(ev({ type: 'task.started', taskId: 'T1', attempt: 2 }));
    t1 = m.snapshot().tasks[0]!;
    assert.deepEqual([t1.status, t1.attempts, 'reason' in t1], ['running', 2, false]);
    m.apply(ev({ type: 'task.finished', taskId: 'T1', status: 'done', attempt: 2 }));
    assert.equal(m.snapshot().timeline.at(-1)!.level, 'success');
  });

  it('agent.state upserts agents, keeping their first position', () => {
    const m = startedModel();
    m.apply(ev({ type: 'agent.state', agentId: 'planner', role: 'planner', step: 'thinking' }));
    m.apply(ev({ type: 'agent.state', agentId: 'coder-T1-a1', role: 'coder', taskId: 'T1', step: 'acting', detail: 'write_file' }));
    m.apply(ev({ type: 'agent.state', agentId: 'planner', role: 'planner', step: 'done' }));
    const s = m.snapshot();
    assert.deepEqual(s.agents, [
      { id: 'planner', role: 'planner', step: 'done' },
      { id: 'coder-T1-a1', role: 'coder', taskId: 'T1', step: 'acting', detail: 'write_file' },
    ]);
  });

  it(`keeps at most ${PANEL_LIMITS.agents} agents, dropping the oldest finished ones with their output`, () => {
    const m = startedModel();
    m.apply(ev({ type: 'agent.state', agentId: 'a0', role: 'coder', step: 'thinking' }));
    for (let i = 1; i < PANEL_LIMITS.agents; i++) {
      m.apply(ev({ type: 'agent.state', agentId: `a${i}`, role: 'coder', step: 'done' }));
      m.apply(ev({ type: 'agent.text', agentId: `a${i}`, delta: `text of a${i}` }));
    }
    m.takePatch();
    m.apply(ev({ type: 'agent.state', agentId: 'new', role: 'coder', step: 'thinking' }));
    const s = m.snapshot();
    assert.equal(s.agents.length, PANEL_LIMITS.agents);
    assert.equal(s.agents[0]!.id, 'a0', 'the running one stays');
    assert.ok(!s.agents.some((a) => a.id === 'a1'), 'the oldest finished one goes');
    assert.equal(s.output.a1, undefined);
    assert.deepEqual(m.takePatch()?.agents?.map((a) => a.id), ['new']);
  });

  it('agent.text appends to the output, tail-capped, and coalesces deltas per agent in the patch', () => {
    const m = startedModel();
    m.apply(ev({ type: 'agent.state', agentId: 'a', role: 'coder', step: 'thinking' }));
    m.apply(ev({ type: 'agent.state', agentId: 'b', role: 'coder', step: 'thinking' }));
    m.takePatch();
    for (const [agentId, delta] of [['a', 'Hel'], ['a', 'lo'], ['b', 'x'], ['a', '!']] as const) m.apply(ev({ type: 'agent.text', agentId, delta }));
    assert.deepEqual(m.snapshot().output, { a: 'Hello!', b: 'x' });
    assert.deepEqual(m.takePatch(), { output: [{ agentId: 'a', text: 'Hello!' }, { agentId: 'b', text: 'x' }] });

    const cap = PANEL_LIMITS.outputCharsPerAgent;
    m.apply(ev({ type: 'agent.text', agentId: 'a', delta: 'y'.repeat(cap) + 'END' }));
    const out = m.snapshot().output.a!;
    assert.equal(out.length, cap);
    assert.ok(out.endsWith('yEND'));
    assert.equal(m.takePatch()?.output?.[0]?.text.length, cap);
  });

  it('agent.text from an agent not seen yet adds the agent', () => {
    const m = startedModel();
    m.apply(ev({ type: 'agent.text', agentId: 'x', taskId: 'T1', delta: 'hi' }));
    assert.deepEqual(m.snapshot().agents, [{ id: 'x', role: 'agent', step: 'thinking', taskId: 'T1' }]);
  });

  it('validation.finished replaces the checks, keeping the scope and bounding the failures', () => {
    const m = startedModel();
    const failures = Array.from({ length: 50 }, (_, i) => ({ name: `t${i}`, message: 'm'.repeat(1000), file: 'a.test.ts', line: i + 1 }));
    const check = { command: 'npm test', exitCode: 1, durationMs: 20, failures };
    m.apply(ev({ type: 'validation.finished', scope: 'T1', passed: false, checks: [{ name: 'test', passed: false, ...check }, { name: 'lint', passed: true, ...check, failures: [] }] }));
    m.apply(ev({ type: 'validation.finished', scope: 'iteration 1', passed: false, checks: [{ name: 'test', passed: false, ...check }] }));
    const s = m.snapshot();
    assert.deepEqual(s.checks.map((c) => [c.scope, c.name, c.passed]), [['iteration 1', 'test', false]]);
    assert.equal(s.checks[0]!.failures.length, MODEL_LIMITS.failuresPerCheck);
    assert.ok(s.checks[0]!.failures[0]!.message.length <= MODEL_LIMITS.failureMessageChars);
    assert.deepEqual(s.checks[0]!.failures[0]!.line, 1);
    assert.deepEqual([s.timeline.at(-1)!.text, s.timeline.at(-1)!.level], ['Checks (iteration 1): 0/1 passed', 'error']);
  });

  it('usage shows the build totals', () => {
    const m = startedModel();
    m.apply(ev({ type: 'usage', agentId: 'a', model: 'm', request: usage(0.5), build: usage(1.25, 1000) }));
    assert.deepEqual(m.takePatch(), { usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 3000, cacheWriteTokens: 0, costUsd: 1.25, requests: 1 } });
  });

  it('writes readable timeline entries with levels', () => {
    const m = startedModel();
    const cases: [Parameters<typeof ev>[0], string, string][] = [
      [{ type: 'retry', agentId: 'a', attempt: 2, delayMs: 1500, reason: 'overloaded' }, 'Model request failed (overloaded); retry 2 in 1.5 s', 'warn'],
      [{ type: 'log', level: 'error', message: 'disk full' }, 'disk full', 'error'],
      [{ type: 'plan.rejected', attempt: 1, errors: ['T2 has no requirement.', 'Cycle.'] }, 'Plan rejected (submission 1): T2 has no requirement. Cycle.', 'warn'],
      [{ type: 'change.applied', changeId: 'c1', path: 'src/a.ts', created: true }, 'Created src/a.ts', 'info'],
      [{ type: 'change.applied', changeId: 'c2', path: 'src/b.ts', created: false }, 'Changed src/b.ts', 'info'],
      [{ type: 'iteration.started', iteration: 1 }, 'Iteration 1 started', 'info'],
      [{ type: 'iteration.finished', iteration: 1, passed: false }, 'Iteration 1 did not pass', 'warn'],
      [{ type: 'iteration.finished', iteration: 2, passed: true }, 'Iteration 2 passed', 'success'],
      [{ type: 'tool.called', agentId: 'coder-T1-a1', tool: 'read_file', summary: 'src/a.ts' }, 'coder-T1-a1 → read_file src/a.ts', 'info'],
      [{ type: 'build.finished', buildId: 'b1', outcome: 'verified', summary: 'all requirements verified', unmet: [] }, 'Build verified: all requirements verified', 'success'],
      [{ type: 'build.finished', buildId: 'b1', outcome: 'unmet', summary: 'limit reached', unmet: ['R2'] }, 'Build unmet: limit reached Unmet: R2.', 'warn'],
      [{ type: 'build.finished', buildId: 'b1', outcome: 'failed', summary: 'crashed', unmet: [] }, 'Build failed: crashed', 'error'],
    ];
    for (const [body, text, level] of cases) {
      m.apply(ev(body));
      const last = m.snapshot().timeline.at(-1)!;
      assert.deepEqual([last.text, last.level], [text, level], body.type);
    }
  });

  it('build.finished sets the status and stop reason', () => {
    const m = startedModel();
    m.apply(ev({ type: 'build.finished', buildId: 'b1', outcome: 'paused', summary: 'interrupted by the user', unmet: [] }));
    assert.deepEqual(m.takePatch()?.build, { id: 'b1', specPath: 'SPEC.md', status: 'paused', iteration: 0, maxIterations: 0, stopReason: 'interrupted by the user' });
  });

  it(`keeps the newest ${PANEL_LIMITS.timeline} timeline entries, clipping long lines`, () => {
    const m = startedModel();
    for (let i = 0; i < PANEL_LIMITS.timeline + 50; i++) m.apply(ev({ type: 'log', level: 'info', message: `line ${i} ${'z'.repeat(i === 449 ? 5000 : 0)}` }));
    const { timeline } = m.snapshot();
    assert.equal(timeline.length, PANEL_LIMITS.timeline);
    assert.match(timeline[0]!.text, /^line 50 /);
    assert.ok(timeline.at(-1)!.text.length <= MODEL_LIMITS.timelineTextChars);
    assert.equal(m.takePatch()?.timeline?.length, PANEL_LIMITS.timeline);
  });

  it('patches carry only what changed, and nothing when idle', () => {
    const m = startedModel();
    assert.equal(m.takePatch(), undefined);
    m.apply(ev({ type: 'usage', agentId: 'a', model: 'm', request: usage(0.1), build: usage(0.1) }));
    assert.deepEqual(Object.keys(m.takePatch()!), ['usage']);
    m.apply(ev({ type: 'task.started', taskId: 'T2', attempt: 1 }));
    const patch = m.takePatch()!;
    assert.deepEqual(Object.keys(patch), ['tasks']);
    assert.deepEqual(patch.tasks!.map((t) => t.id), ['T2']);
    m.apply(ev({ type: 'agent.state', agentId: 'a', role: 'coder', step: 'thinking' }));
    m.apply(ev({ type: 'agent.state', agentId: 'a', role: 'coder', step: 'acting' }));
    assert.deepEqual(m.takePatch(), { agents: [{ id: 'a', role: 'coder', step: 'acting' }] });
    m.apply(ev({ type: 'validation.started', scope: 'T1', checks: ['test'] }));
    assert.deepEqual(Object.keys(m.takePatch()!), ['timeline']);
    m.apply(ev({ type: 'tool.result', agentId: 'a', tool: 'read_file', ok: true, summary: 'ok' }));
    assert.equal(m.takePatch(), undefined);
    assert.equal(m.takeUpdate(), undefined);
  });

  it('a full update is a reset that also drops the pending patch', () => {
    const m = startedModel();
    m.apply(ev({ type: 'task.started', taskId: 'T1', attempt: 1 }));
    const update = m.takeUpdate(true);
    assert.equal(update.type, 'reset');
    assert.equal(update.type === 'reset' && update.state.tasks[0]!.status, 'running');
    assert.equal(m.takePatch(), undefined);
  });

  it('snapshots and patches handed out do not change with later events', () => {
    const m = startedModel();
    m.apply(ev({ type: 'task.started', taskId: 'T1', attempt: 1 }));
    const before = m.snapshot();
    const patch = m.takePatch()!;
    const frozen = JSON.stringify([before, patch]);
    m.apply(ev({ type: 'task.finished', taskId: 'T1', status: 'done', attempt: 1 }));
    m.apply(ev({ type: 'log', level: 'info', message: 'later' }));
    assert.equal(JSON.stringify([before, patch]), frozen);
  });

  it('tailText never starts inside a surrogate pair', () => {
    assert.equal(tailText('abc', 5), 'abc');
    assert.equal(tailText('a😀b', 2), 'b');
    assert.equal(tailText('a😀b', 3), '😀b');
  });
});
