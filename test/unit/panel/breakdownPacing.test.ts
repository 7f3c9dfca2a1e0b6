import assert from 'node:assert/strict';
import type { MuneroEvent } from '../../../src/core';
import { BreakdownPacing } from '../../../src/extension/metricsMilestones';

/** The events of a build of `tasks` tasks, one after another, each `turns` model turns then its milestones; only what pacing reads. */
function buildEvents(tasks: number, turns: number): MuneroEvent[] {
  const e = (type: string) => ({ type }) as MuneroEvent;
  const events = [e('build.started')];
  for (let t = 0; t < tasks; t++) events.push(e('task.started'), ...Array.from({ length: turns }, () => e('usage')), e('task.finished'), e('validation.finished'));
  events.push(e('build.finished'));
  return events;
}

/** Feeds the events (after `turns` earlier ones), deriving at once whenever one is due; the turns each derivation re-read. */
function derivations(events: MuneroEvent[], pacing = new BreakdownPacing(), turns = 0): number[] {
  const covered: number[] = [];
  for (const e of events) {
    if (e.type === 'usage') turns++;
    if (pacing.dueAfter(e)) {
      covered.push(turns);
      pacing.derived(turns);
    }
  }
  return covered;
}

describe('the breakdown of a long build is recomputed less often as its log grows', () => {
  it('200 tasks of 25 turns: far fewer derivations than milestones, and the log re-read in total a small multiple of its length', () => {
    const covered = derivations(buildEvents(200, 25));
    const milestones = 2 + 200 * 2;
    assert.ok(covered.length < milestones / 4, `${covered.length} derivations for ${milestones} milestones`);
    const reread = covered.reduce((a, b) => a + b, 0);
    // One per milestone would re-read about 200 × 5,000 / 2 turns; the pacing keeps it linear.
    assert.ok(reread <= 12 * 5000, `re-read ${reread} turns in all for a build of 5,000`);
    // The build's end always counts, with every turn in it.
    assert.equal(covered.at(-1), 5000);
  });

  it('a short build still gets a breakdown at its start, after each task\'s turns and at its end', () => {
    // A milestone right after another, with no turn between (a task's checks and its end), waits for the next.
    assert.deepEqual(derivations(buildEvents(3, 5)), [0, 5, 10, 15, 15]);
  });

  it('a window joining a long build waits for a tenth more turns than the breakdown it read', () => {
    const pacing = new BreakdownPacing();
    pacing.derived(4000);
    const running = (tasks: number) => buildEvents(tasks, 25).slice(1, -1); // turns and milestones, no build start or end
    assert.deepEqual(derivations(running(4), pacing, 4000), []);
    // A tenth of 4,000 turns after the one it read (at the next milestone), then a tenth of 4,400.
    assert.deepEqual(derivations(running(40), pacing, 4100), [4400, 4850]);
  });
});
