import assert from 'node:assert/strict';
import type { BuildBreakdown, BuildTrends } from '../../../src/core';
import { breakdownView, trendsView } from '../../../src/extension/panel/metricsViews';
import { PanelModel } from '../../../src/extension/panel/panelModel';
import { applyPatch } from '../../../webview-ui/src/state';
import { ev } from './helpers';

const started = (buildId: string) => ev({ type: 'build.started', buildId, specPath: 'SPEC.md', requirementIds: ['R1'], resumed: false });

function breakdown(buildId: string): BuildBreakdown {
  return {
    buildId,
    wallMs: 10_000,
    wall: { checksMs: 6_000, modelMs: 3_000, toolsMs: 500, waitingMs: 0, idleMs: 500 },
    bottlenecks: [{ kind: 'checks', share: 0.6, message: 'checks took 60% of the wall time: 3 full-suite runs, the costliest `node --test`', advice: 'enable affected-test runs' }],
  } as BuildBreakdown;
}

const trends: BuildTrends = {
  builds: [
    { buildId: 'b0', at: '', outcome: 'unmet', requirements: 2, verified: 0, costUsd: 0.2, durationMs: 1, iterationsPerRequirement: 1.5 },
    { buildId: 'b1', at: '', outcome: 'verified', requirements: 2, verified: 2, costUsd: 0.1, durationMs: 1, costPerVerified: 0.05, iterationsPerRequirement: 0.5, checkMsPerTask: 800, firstAttemptPassRate: 1 },
  ],
};

describe('the Progress panel carries the breakdown and trends', () => {
  it('as the wall-time parts (adding up to the wall time) and plain-text bottleneck lines', () => {
    const view = breakdownView(breakdown('b1'));
    assert.deepEqual(view.parts.map((p) => [p.part, p.label, p.ms]), [['checks', 'checks', 6000], ['model', 'model', 3000], ['tools', 'tools', 500], ['waiting', 'waiting', 0], ['idle', 'engine', 500]]);
    assert.equal(view.parts.reduce((n, p) => n + p.ms, 0), view.wallMs);
    assert.deepEqual(view.bottlenecks, [{ kind: 'checks', message: 'checks took 60% of the wall time: 3 full-suite runs, the costliest node --test', advice: 'enable affected-test runs' }]);
  });

  it('as one series per figure over the last builds, null where a build lacks the figure', () => {
    const view = trendsView(trends, 20);
    assert.deepEqual(view.builds, ['b0', 'b1']);
    assert.deepEqual(Object.fromEntries(view.series.map((s) => [s.metric, s.values])), {
      costPerVerified: [null, 0.05],
      iterationsPerRequirement: [1.5, 0.5],
      checkMsPerTask: [null, 800],
      firstAttemptPassRate: [null, 1],
    });
    assert.deepEqual(trendsView(trends, 1).builds, ['b1'], 'at most the limit, the newest');
  });

  it('in patches the webview applies to the same state; a breakdown of another build is ignored, trends outlive a build', () => {
    const m = new PanelModel();
    m.apply(started('b1'));
    const panel = (m.takeUpdate(true) as { state: ReturnType<PanelModel['snapshot']> }).state;
    m.setBreakdown(breakdownView(breakdown('b0')));
    assert.equal(m.takeUpdate(), undefined, "the previous build's breakdown, computed late, is not shown");
    m.setBreakdown(breakdownView(breakdown('b1')));
    m.setTrends(trendsView(trends, 20));
    const update = m.takeUpdate();
    assert.equal(update?.type, 'patch');
    applyPatch(panel, structuredClone(update!.type === 'patch' ? update.patch : {}));
    assert.deepEqual(panel, m.snapshot());
    assert.equal(panel.breakdown?.buildId, 'b1');

    m.apply(started('b2'));
    assert.equal(m.snapshot().breakdown, null, 'a new build starts without a breakdown');
    assert.deepEqual(m.snapshot().trends.builds, ['b0', 'b1'], "the workspace's trends stay");
  });
});
