import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ScriptTurn } from '../../../src/scripted/scriptTypes';
import { addAttempt, ADD_SPEC, makeWorkspace, managerFor, planTurn, serve } from './helpers';

/** A whole build where the planner's first request meets the given faults. */
async function buildWithFaults(faults: ScriptTurn['faults'], extraTurns: ScriptTurn[] = []) {
  const server = await serve([{ ...planTurn(), faults }, ...addAttempt(), ...extraTurns]);
  const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
    const { manager, events } = managerFor(workspace, server);
  try {
    const result = await manager.start('SPEC.md');
    return { result, events, server, manager, workspace };
  } finally {
    await server.close();
  }
}

describe('the Claude wire under injected faults', function () {
  this.timeout(60_000);

  for (const fault of [{ type: 'rate_limit', retry_after_s: 0 }, { type: 'overloaded' }, { type: 'server_error' }, { type: 'drop_mid_stream' }, { type: 'error_event_mid_stream' }] as const) {
    it(`retries after ${fault.type} and finishes the build`, async () => {
      const { result, events, server } = await buildWithFaults([fault]);
      assert.equal(result.outcome, 'verified', result.reason);
      const retries = events.filter((e) => e.type === 'retry');
      assert.equal(retries.length, 1);
      assert.equal(server.log.filter((e) => e.agent === 'planner').length, 2);
      assert.deepEqual(server.rejected(), []);
    });
  }

  it('honours retry-after on a 429', async () => {
    const { events } = await buildWithFaults([{ type: 'rate_limit', retry_after_s: 0.03 }]);
    const retry = events.find((e) => e.type === 'retry');
    assert.equal(retry && retry.type === 'retry' && retry.delayMs, 30);
  });

  it('does not retry a spend-limit 429: the build pauses, resumable', async () => {
    const { result, server } = await buildWithFaults([{ type: 'spend_limit' }]);
    assert.equal(result.outcome, 'paused');
    assert.match(result.reason, /spend limit/);
    assert.equal(server.log.length, 1);
  });

  it('pauses when retries run out, and a resume finishes without losing anything', async () => {
    const faults = Array.from({ length: 4 }, () => ({ type: 'overloaded' as const }));
    const coder = addAttempt();
    coder[1] = { ...coder[1], faults };
    const server = await serve([planTurn(), ...coder]);
    const workspace = makeWorkspace({ 'SPEC.md': ADD_SPEC });
        try {
      const first = managerFor(workspace, server);
      const paused = await first.manager.start('SPEC.md');
      assert.equal(paused.outcome, 'paused');
      assert.match(paused.reason, /after 4 attempts/);
      assert.equal(first.manager.status()!.tasks.T1.status, 'running');

      fs.appendFileSync(path.join(workspace, 'SPEC.md'), '\n- R2: an edit made while the build was paused.\n');
      const second = managerFor(workspace, server);
      const resumed = await second.manager.resume();
      assert.equal(resumed.outcome, 'verified', resumed.reason);
      assert.ok(
        second.events.some((e) => e.type === 'log' && e.level === 'warn' && /SPEC\.md changed since this build started/.test(e.message)),
        'the edited spec is pointed out',
      );
      assert.deepEqual(resumed.requirements.map((r) => r.id), ['R1'], 'the build keeps the requirements it started from');
      assert.equal(second.manager.status()!.tasks.T1.attempts, 1, 'the interrupted attempt continued instead of starting over');
      assert.deepEqual(server.rejected(), []);
      assert.deepEqual(server.remainingTurns(), []);
    } finally {
      await server.close();
    }
  });
});
