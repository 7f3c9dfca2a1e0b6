import assert from 'node:assert/strict';
import { SpecError, type SpecErrorCode } from '../../../src/core/spec';

/** Runs `fn` and returns the SpecError it throws, failing if it throws anything else. */
export function specError(fn: () => unknown, code: SpecErrorCode): SpecError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected a SpecError with code ${code}`);
}

export async function specErrorAsync(promise: Promise<unknown>, code: SpecErrorCode): Promise<SpecError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SpecError, `expected a SpecError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected a SpecError with code ${code}`);
}

/** Joins lines so fixtures can be written one line per array entry, making line numbers obvious. */
export function lines(...rows: string[]): string {
  return rows.join('\n') + '\n';
}
