import crypto from 'node:crypto';
import fs from 'node:fs';
import type { TestFileRecord } from '../state/buildState';
import { MAX_TEST_FILE_BYTES } from './testFiles';
import { compareTest, measureTest } from './testIntegrity';

/** A recorded test file as it is now. */
export type TestFileNow =
  | { state: 'missing' }
  /** Readable and small enough to count what it tests. */
  | { state: 'measured'; record: TestFileRecord }
  /** Exists but cannot be counted (over the size limit, or unreadable); `sha` when it could be hashed. */
  | { state: 'unmeasurable'; sha?: string; why: string };

/**
 * Counted records by path, reused only while the content hash is the same: a cache keyed on
 * mtime and size is fooled by a same-length edit with its mtime set back (`touch -r`).
 */
const measured = new Map<string, TestFileRecord>();

/** A test file measured now; a link, folder or other non-file where a test was counts as missing. */
export function measureTestFile(abs: string, rel: string): TestFileNow {
  let info: fs.Stats;
  try {
    info = fs.lstatSync(abs);
  } catch {
    return { state: 'missing' };
  }
  if (!info.isFile()) return { state: 'missing' };
  if (info.size > MAX_TEST_FILE_BYTES) {
    const sha = hashFile(abs);
    return { state: 'unmeasurable', sha, why: `${info.size} bytes, over the ${MAX_TEST_FILE_BYTES / 1024 / 1024} MiB a test is counted up to` };
  }
  let data: Buffer;
  try {
    data = fs.readFileSync(abs);
  } catch (err) {
    return { state: 'unmeasurable', why: `unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const sha = crypto.createHash('sha256').update(data).digest('hex');
  const cached = measured.get(abs);
  if (cached?.sha === sha) return { state: 'measured', record: cached };
  const record = measureTest(rel, data);
  measured.set(abs, record);
  return { state: 'measured', record };
}

/** The sha256 of a file of any size, read in pieces; undefined when it cannot be read. */
function hashFile(abs: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const hash = crypto.createHash('sha256');
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** What a file that cannot be read is recorded as once the user approves it. */
const UNREADABLE = 'unreadable';

/** How a recorded test file differs now: deleted, weakened (by the counts), or otherwise changed; undefined when unchanged. */
export function compareTestFile(before: TestFileRecord, now: TestFileNow): { kind: 'deleted' | 'weakened' | 'changed'; change: string } | undefined {
  if (now.state === 'missing') return { kind: 'deleted', change: 'deleted' };
  if (now.state === 'measured') return compareTest(before, now.record);
  if ((now.sha ?? UNREADABLE) === before.sha) return undefined;
  return { kind: 'changed', change: `content changed; cannot be compared (${now.why})` };
}

/** The record an approved file is judged against from now on; undefined when it is gone. */
export function baselineOf(now: TestFileNow): TestFileRecord | undefined {
  if (now.state === 'missing') return undefined;
  if (now.state === 'measured') return now.record;
  return { sha: now.sha ?? UNREADABLE, cases: 0, assertions: 0, markers: {} };
}
