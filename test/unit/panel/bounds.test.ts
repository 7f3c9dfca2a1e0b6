import assert from 'node:assert/strict';
import { PanelModel } from '../../../src/extension/panel/panelModel';
import { PANEL_LIMITS, type PanelState } from '../../../src/extension/protocol';
import { buildStream } from './helpers';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

function assertWithinLimits(s: PanelState): void {
  assert.ok(s.timeline.length <= PANEL_LIMITS.timeline, `timeline ${s.timeline.length}`);
  assert.ok(s.agents.length <= PANEL_LIMITS.agents, `agents ${s.agents.length}`);
  for (const [id, text] of Object.entries(s.output)) {
    assert.ok(text.length <= PANEL_LIMITS.outputCharsPerAgent, `output of ${id}: ${text.length}`);
    assert.ok(s.agents.some((a) => a.id === id), `output kept for dropped agent ${id}`);
  }
}

describe('PanelModel memory bounds', () => {
  it('10,000 mixed events: the state stays within the limits and under 200 KB, and does not grow with more events', () => {
    const sizes: number[] = [];
    for (const count of [10_000, 20_000]) {
      const m = new PanelModel();
      let agentTexts = 0;
      for (const e of buildStream(count)) {
        m.apply(e);
        if (e.type === 'agent.text') agentTexts++;
      }
      assert.ok(agentTexts > count / 2, `mostly streamed text (${agentTexts})`);
      const s = m.snapshot();
      assertWithinLimits(s);
      assert.equal(s.agents.length, PANEL_LIMITS.agents, 'agents came and went');
      assert.equal(s.timeline.length, PANEL_LIMITS.timeline);
      sizes.push(bytes(s));
    }
    assert.ok(sizes[0]! < 200_000, `snapshot ${sizes[0]} bytes`);
    assert.ok(sizes[1]! < sizes[0]! * 1.25, `grew from ${sizes[0]} to ${sizes[1]} bytes`);
  });

  it('long streamed texts are capped per agent', () => {
    const m = new PanelModel();
    for (const e of buildStream(10_000, { tasks: 2, textChars: 2000 })) m.apply(e);
    const s = m.snapshot();
    assertWithinLimits(s);
    assert.ok(Object.values(s.output).some((t) => t.length === PANEL_LIMITS.outputCharsPerAgent), 'some output reached the cap');
  });

  it('patches flushed every 100 events cost far less than the whole state per event', () => {
    const m = new PanelModel();
    let patchBytes = 0;
    let wholeStateBytes = 0;
    let n = 0;
    let flushes = 0;
    for (const e of buildStream(10_000)) {
      m.apply(e);
      if (++n % 100 === 0) {
        const update = m.takeUpdate();
        if (update) patchBytes += bytes(update);
        flushes++;
        // The state's size now, as if posted whole after each of the last 100 events.
        wholeStateBytes += bytes(m.snapshot()) * 100;
      }
    }
    assert.equal(flushes, 100);
    const ratio = patchBytes / wholeStateBytes;
    assert.ok(ratio < 0.01, `patches ${patchBytes} bytes vs whole state ${wholeStateBytes} bytes (ratio ${ratio.toFixed(5)})`);
    // And per flush, a patch stays small: about 100 events' worth of text.
    assert.ok(patchBytes / flushes < 20_000, `average patch ${Math.round(patchBytes / flushes)} bytes`);
  });
});
