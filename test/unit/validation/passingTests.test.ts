import assert from 'node:assert/strict';
import { namesRequirement, passingTestNames } from '../../../src/core/validation/passingTests';

describe('passing test names (traceability)', () => {
  it('reads TAP and node --test TAP with suites, skipping SKIP and TODO', () => {
    const tap = ['TAP version 13', '# Subtest: calc', '    # Subtest: R1: adds', '    ok 1 - R1: adds', '    1..1', 'ok 1 - calc', 'not ok 2 - R2: fails', 'ok 3 - R3: later # SKIP', '1..3'].join('\n');
    assert.deepEqual(passingTestNames(tap), ['calc > R1: adds', 'calc']);
  });

  it('reads the spec reporters of node and mocha, and jest and vitest verbose', () => {
    const out = ['▶ calc', '  ✔ R1: adds (0.5ms)', '  ✓ R2: multiplies (3 ms)', '    √ R3 divides', '  ✖ R4: fails'].join('\n');
    assert.deepEqual(passingTestNames(out), ['R1: adds', 'R2: multiplies', 'R3 divides']);
  });

  it('an id is named when written apart, not inside a longer id', () => {
    for (const yes of ['R2: x', 'x (R2)', '[R2] x', 'R2.1 holds', 'FR-008a works']) assert.ok(namesRequirement(yes, yes.startsWith('FR') ? 'FR-008a' : 'R2'), yes);
    for (const no of ['R20: x', 'R2a', 'FR-R2 x', 'xR2']) assert.ok(!namesRequirement(no, 'R2'), no);
  });
});
