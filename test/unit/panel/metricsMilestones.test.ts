import assert from 'node:assert/strict';
import type { MuneroEvent } from '../../../src/core';
import { metricsDueAfter } from '../../../src/extension/metricsMilestones';

// Every event type, so a new one is a compile error here until it is placed.
const ALL: Record<MuneroEvent['type'], true> = {
  'agent.state': true, 'agent.text': true, budget: true, 'build.finished': true, 'build.started': true, 'change.applied': true,
  'iteration.finished': true, 'iteration.started': true, 'judge.frozen': true, learning: true, log: true, 'mcp.server': true,
  'plan.accepted': true, 'plan.rejected': true, 'plan.revised': true, reflection: true, 'requirement.verdict': true, resources: true,
  retry: true, review: true, 'review.changed': true, 'solution.offered': true, 'task.finished': true, 'task.started': true,
  'test.approved': true, 'test.flagged': true, 'tool.called': true, 'tool.result': true, usage: true, 'validation.finished': true,
  'validation.started': true,
};

describe('the panel and tree recompute where the time went at milestones only', () => {
  it('a task or a check run finished, a build started or finished: the breakdown; a build finished: the trends too', () => {
    const due = Object.fromEntries((Object.keys(ALL) as MuneroEvent['type'][]).map((t) => [t, metricsDueAfter(t)]).filter(([, d]) => d));
    assert.deepEqual(due, {
      'build.started': { breakdown: true, trends: false },
      'task.finished': { breakdown: true, trends: false },
      'validation.finished': { breakdown: true, trends: false },
      'build.finished': { breakdown: true, trends: true },
    });
  });

  it('nothing per streamed token, usage report or tool call', () => {
    for (const t of ['agent.text', 'usage', 'tool.called', 'tool.result', 'agent.state', 'log'] as const) assert.equal(metricsDueAfter(t), undefined, t);
  });
});
