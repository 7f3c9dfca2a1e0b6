import assert from 'node:assert/strict';
import { PanelModel } from '../../../src/extension/panel/panelModel';
import type { PanelState, ToPanel } from '../../../src/extension/protocol';
import { applyPatch, emptyState, restoreState } from '../../../webview-ui/src/state';
import { buildStream, ev } from './helpers';

/** What the panel holds after receiving `message` (posted messages are structured clones). */
function receive(state: PanelState, message: ToPanel): PanelState {
  const msg = structuredClone(message);
  if (msg.type === 'reset') return msg.state;
  applyPatch(state, msg.patch);
  return state;
}

const plain = (s: PanelState) => JSON.parse(JSON.stringify(s)) as PanelState;

describe('the panel state (webview-ui/src/state.ts) mirrors the PanelModel', () => {
  for (const every of [1, 7, 100]) {
    it(`after every patch of a 10,000-event build flushed every ${every} events`, () => {
      const m = new PanelModel();
      let panel = emptyState();
      let n = 0;
      let resets = 0;
      for (const e of buildStream(10_000, { seed: every })) {
        m.apply(e);
        if (++n % every) continue;
        const update = m.takeUpdate();
        if (!update) continue;
        if (update.type === 'reset') resets++;
        panel = receive(panel, update);
        if (n % 500 === 0) assert.deepEqual(plain(panel), plain(m.snapshot()), `after ${n} events`);
      }
      const last = m.takeUpdate();
      if (last) panel = receive(panel, last);
      assert.deepEqual(plain(panel), plain(m.snapshot()));
      assert.equal(resets, 1, 'one reset, for the new build');
    });
  }

  it('drops the same agent as the model when a new one pushes past the limit', () => {
    const m = new PanelModel();
    let panel = receive(emptyState(), m.takeUpdate(true));
    for (let i = 0; i < 45; i++) {
      m.apply(ev({ type: 'agent.state', agentId: `a${i}`, role: 'coder', step: i % 3 ? 'done' : 'acting' }));
      m.apply(ev({ type: 'agent.text', agentId: `a${i}`, delta: `out ${i}` }));
      panel = receive(panel, m.takeUpdate()!);
    }
    assert.deepEqual(plain(panel), plain(m.snapshot()));
  });

  it('restoreState accepts a saved state and rejects anything else', () => {
    const saved = emptyState();
    saved.timeline.push({ seq: 1, at: 'now', text: 'hi', level: 'info' });
    assert.equal(restoreState(saved), saved);
    assert.deepEqual(restoreState(undefined), emptyState());
    assert.deepEqual(restoreState({ tasks: 'no' }), emptyState());
    const { breakdown: _, trends: __, ...older } = emptyState();
    assert.deepEqual(restoreState(structuredClone(older)), emptyState(), 'a state saved before the breakdown and trends existed gets them empty');
  });
});
