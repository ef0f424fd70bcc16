// For tests: the AppError a call is refused with.
import assert from 'node:assert/strict';
import { AppError } from './errors.js';

/** The AppError `promise` rejects with; the test fails when it resolves or rejects with anything else. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}
