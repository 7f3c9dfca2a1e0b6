import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { MuneroEvent } from '../../../src/core';
import type { MuneroApi } from '../../../src/extension/extension';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { ADDER_TEST, adderSpec, adderTurns, tool } from './adderBuild';
import { munero, root } from './mcpHelpers';
import { waitFor } from './waitFor';

const DIR = 'timed';
const SPEC_PATH = path.join(DIR, 'SPEC.md');
const [plan, ...passingAttempt] = adderTurns(DIR);
const failingWrite: ScriptTurn = {
  agent: 'coder',
  task: 'T1',
  content: [tool('write_file', { path: `${DIR}/add.js`, content: 'exports.add = (a, b) => a - b;\n' }), tool('write_file', { path: `${DIR}/add.test.js`, content: ADDER_TEST })],
};

/** Two builds of the adder: the first fails once (a retry to name) and passes; the second passes at once. */
const TURNS: ScriptTurn[] = [
  plan!,
  failingWrite,
  passingAttempt.at(-1)!,
  { agent: 'reflector', task: 'T1', content: [tool('submit_reflection', { task_id: 'T1', root_cause: 'add() subtracts.', lesson: 'Check the operator.', next_action: 'retry' })] },
  ...passingAttempt,
  ...adderTurns(DIR),
];

describe('Where the time went: the Progress panel and the tree', function () {
  let api: MuneroApi;
  let model: ScriptedServer | undefined;
  const spec = () => vscode.Uri.file(path.join(root(), SPEC_PATH));
  const config = () => vscode.workspace.getConfiguration('munero');

  before(async () => {
    api = await munero();
    await api.keys.set('test-key');
    model = await startScriptedServer({ script: { version: 1, turns: TURNS } });
    await config().update('baseUrl', model.url, vscode.ConfigurationTarget.Global);
    fs.mkdirSync(path.dirname(spec().fsPath), { recursive: true });
    fs.writeFileSync(spec().fsPath, adderSpec(DIR, 3));
  });

  after(async () => {
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await model?.close();
  });

  async function build(): Promise<string> {
    const controller = api.controller!;
    const before = controller.live.state?.id;
    await vscode.commands.executeCommand('munero.buildFromSpec', spec());
    await controller.whenIdle();
    const state = controller.live.state!;
    assert.notEqual(state.id, before, 'a new build started (the Munero log says why not)');
    assert.equal(state.status, 'verified', state.stopReason);
    return state.id;
  }

  it("after builds, the panel model carries the build's wall-time split and bottlenecks and the trends, and the tree names the top bottleneck", async () => {
    const panel = api.progress!.model; // reading it makes the panel follow builds, as showing it does
    const metrics = api.metrics!;

    const first = await build();
    // The tree: the first row under the build names the costliest thing, what would help in its tooltip.
    const engine = await waitFor(() => {
      const b = api.controller!.manager.breakdown();
      return b?.buildId === first && b.bottlenecks.length > 0 && b;
    }, "the first build's breakdown");
    assert.ok(
      engine.bottlenecks.some((b) => b.kind === 'retries' && /^task T1 took 2 attempts/.test(b.message)),
      `T1's retry is among the bottlenecks: ${JSON.stringify(engine.bottlenecks)}`,
    );
    const top = engine.bottlenecks[0]!;
    const buildNode = api.tree!.getChildren().find((n) => n.kind === 'build')!;
    const row = await waitFor(() => {
      const node = api.tree!.getChildren(buildNode)[0];
      const item = node && api.tree!.getTreeItem(node);
      return node?.kind === 'bottleneck' && item?.label === `Bottleneck: ${top.message.replace(/`/g, '')}` && item;
    }, `the tree row naming "${top.message}"`);
    const tooltip = (row.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(`**What would help:** ${top.advice}`), tooltip);
    assert.equal(row.command?.command, 'munero.showProgress');
    // The panel shows the same bottlenecks as lines, once the build's last milestone settled.
    const lines = JSON.stringify(engine.bottlenecks.map((b) => [b.message.replace(/`/g, ''), b.advice.replace(/`/g, '')]));
    const seen = () => JSON.stringify(panel.snapshot().breakdown?.bottlenecks.map((b) => [b.message, b.advice]));
    await waitFor(() => seen() === lines, `the panel's bottleneck lines to be ${lines} (they are ${seen()})`, 10_000).catch((err) => assert.fail(`${err.message}; panel: ${seen()}`));

    const computedBefore = metrics.computations;
    const second = await build();
    const shown = await waitFor(() => {
      const s = panel.snapshot();
      return s.breakdown?.buildId === second && s.trends.builds.at(-1) === second && s;
    }, "the second build's breakdown and trends in the panel");

    // The bar: the five parts of the wall time, adding up to it (the engine's own split, within its 2%).
    const b = shown.breakdown!;
    assert.deepEqual(b.parts.map((p) => p.label), ['checks', 'model', 'tools', 'waiting', 'engine']);
    assert.ok(b.wallMs > 0);
    const sum = b.parts.reduce((n, p) => n + p.ms, 0);
    assert.ok(Math.abs(sum - b.wallMs) <= b.wallMs * 0.02, `parts add up to ${sum} of ${b.wallMs} ms`);
    assert.ok(b.parts.find((p) => p.part === 'checks')!.ms > 0, 'node --test ran, so checks took time');
    assert.ok(b.parts.find((p) => p.part === 'model')!.ms > 0, 'model requests took time');

    // The trends: the last two builds, as the performance history recorded them.
    assert.deepEqual(shown.trends.builds.slice(-2), [first, second]);
    const series = Object.fromEntries(shown.trends.series.map((s) => [s.metric, s.values.slice(-2)]));
    assert.deepEqual(series.firstAttemptPassRate, [0, 1], 'T1 failed its first attempt in the first build, passed it in the second');
    assert.deepEqual(series.iterationsPerRequirement, [2, 1]);
    assert.ok(series.costPerVerified!.every((v) => v !== null && v > 0), `cost per verified requirement: ${series.costPerVerified}`);
    assert.ok(series.checkMsPerTask!.every((v) => v !== null && v > 0), `check time per task: ${series.checkMsPerTask}`);

    // Cheap: the breakdown (a read of the whole log) was derived at most once per milestone. Which
    // events are milestones is pinned in test/unit/panel/metricsMilestones.test.ts: in a build this
    // fast the 250 ms settling alone would also keep the count this low.
    const events = api.controller!.manager.events();
    const milestones = events.filter((e: MuneroEvent) => ['build.started', 'task.finished', 'validation.finished', 'build.finished'].includes(e.type)).length;
    const computed = metrics.computations - computedBefore;
    console.log(`second build: ${events.length} events, ${milestones} milestones, breakdown derived ${computed} times`);
    assert.ok(computed >= 1 && computed <= milestones, `derived ${computed} times for ${milestones} milestones`);
  });
});
