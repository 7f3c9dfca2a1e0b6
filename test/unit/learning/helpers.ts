import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LearningDb } from '../../../src/core/learning';

export const tmpWorkspace = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'munero-learning-'));

/** A clock that moves one second per reading, so timestamps are distinct and ordered. */
export function steppingClock(start = Date.parse('2025-01-01T00:00:00Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

export const openDb = (root: string): LearningDb => new LearningDb(root, { now: steppingClock() });

export const MISSING_IMPORT =
  "\u001b[31mError: Cannot find module '/home/alice/proj/src/utils/strings.ts' imported from /home/alice/proj/src/index.ts\u001b[0m\n" +
  "    at finalizeResolution (node:internal/modules/esm/resolve:265:11) code: 'ERR_MODULE_NOT_FOUND'";

/** The same failure in another checkout on another run. */
export const MISSING_IMPORT_ELSEWHERE =
  "Error: Cannot find module '/tmp/ws-81723/src/utils/strings.ts' imported from /tmp/ws-81723/src/index.ts\n" +
  "    at finalizeResolution (node:internal/modules/esm/resolve:271:9) code: 'ERR_MODULE_NOT_FOUND'";

export const ASSERTION =
  'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n3 !== 4\n\n    at Context.<anonymous> (test/math.test.ts:10:12)';
