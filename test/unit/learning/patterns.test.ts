import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_LESSONS_PER_PATTERN, MAX_PATTERNS, MAX_TASKS_PER_PATTERN } from '../../../src/core/learning';
import { StateCorruptError } from '../../../src/core/state/errors';
import { MISSING_IMPORT, openDb, tmpWorkspace } from './helpers';

const failure = (signature: string, taskId = 'T1', buildId = 'b1') => ({ signature, failureText: MISSING_IMPORT, buildId, taskId });
const lesson = (signature: string, text: string, taskId = 'T1') => ({ ...failure(signature, taskId), lesson: text, rootCause: 'the helper was never created' });

describe('learning pattern database', () => {
  it('counts a failure recorded twice', () => {
    const db = openDb(tmpWorkspace());
    const first = db.recordFailure(failure('mocha:abc'));
    const second = db.recordFailure(failure('mocha:abc', 'T2'));
    assert.equal(first.occurrences, 1);
    assert.equal(second.occurrences, 2);
    assert.equal(second.firstSeen, first.firstSeen);
    assert.ok(second.lastSeen > first.lastSeen);
    assert.deepEqual(second.tasks, ['b1/T1', 'b1/T2']);
    assert.ok(second.text.startsWith("error: cannot find module 'strings.ts'"));
  });

  it('does not duplicate an equal lesson', () => {
    const db = openDb(tmpWorkspace());
    const a = db.addLesson(lesson('mocha:abc', 'Create the module before importing it.'));
    const b = db.addLesson(lesson('mocha:abc', '  create the module   before importing it '));
    assert.equal(b.id, a.id);
    assert.equal(a.promoted, 0);
    assert.equal(a.root_cause, 'the helper was never created');
    const retrieved = db.retrieveLessons({ failureText: MISSING_IMPORT, signature: 'mocha:abc', maxTokens: 1000 });
    assert.deepEqual(retrieved.lessons.map((l) => l.id), [a.id]);
  });

  it('a second instance on the same folder sees what the first wrote', () => {
    const root = tmpWorkspace();
    const first = openDb(root);
    first.recordFailure(failure('mocha:abc'));
    const added = first.addLesson(lesson('mocha:abc', 'Create the module before importing it.'));
    first.markOutcome({ lessonIds: [added.id], outcome: 'passed' });
    first.close();

    const second = openDb(root);
    const { lessons } = second.retrieveLessons({ failureText: MISSING_IMPORT, signature: 'mocha:abc', maxTokens: 1000 });
    assert.deepEqual(lessons.map((l) => [l.id, l.score]), [[added.id, 2]]);
    assert.equal(second.recordFailure(failure('mocha:abc', 'T1', 'b2')).occurrences, 2);
    assert.ok(fs.existsSync(path.join(root, '.munero', '.gitignore')));
  });

  it('reports failures recurring in 3 distinct tasks as a labelled line', () => {
    const db = openDb(tmpWorkspace());
    db.recordFailure(failure('mocha:import', 'T1', 'b1'));
    db.recordFailure(failure('mocha:import', 'T1', 'b1'));
    db.recordFailure(failure('mocha:import', 'T2', 'b1'));
    db.recordFailure({ signature: 'mocha:assert', failureText: 'AssertionError: nope', buildId: 'b1', taskId: 'T1' });
    db.recordFailure({ signature: 'mocha:assert', failureText: 'AssertionError: nope', buildId: 'b1', taskId: 'T2' });
    assert.deepEqual(db.recurringFailures(), []);
    db.addLesson(lesson('mocha:import', 'Create the module first.', 'T1'));
    db.recordFailure(failure('mocha:import', 'T1', 'b2'));
    const recurring = db.recurringFailures();
    assert.deepEqual(
      recurring.map((r) => [r.signature, r.taskCount, r.label]),
      [['mocha:import', 3, 'missing import']],
    );
    assert.deepEqual(db.recurringFailures(2).map((r) => r.signature), ['mocha:import', 'mocha:assert']);
  });

  it('keeps the newest 50 tasks of a pattern', () => {
    const db = openDb(tmpWorkspace());
    let last = db.recordFailure(failure('mocha:abc', 'T0'));
    for (let i = 1; i < MAX_TASKS_PER_PATTERN + 5; i++) last = db.recordFailure(failure('mocha:abc', `T${i}`));
    assert.equal(last.tasks.length, MAX_TASKS_PER_PATTERN);
    assert.equal(last.tasks[0], 'b1/T5');
    assert.equal(last.tasks.at(-1), `b1/T${MAX_TASKS_PER_PATTERN + 4}`);
  });

  it('keeps 10 lessons a pattern, evicting the lowest score, oldest first', () => {
    const db = openDb(tmpWorkspace());
    const ids = Array.from({ length: MAX_LESSONS_PER_PATTERN }, (_, i) => db.addLesson(lesson('mocha:abc', `Lesson number ${'abcdefghij'[i]}.`)).id);
    db.markOutcome({ lessonIds: [ids[0]], outcome: 'passed' });
    const newest = db.addLesson(lesson('mocha:abc', 'Lesson number k.'));
    const kept = db.retrieveLessons({ failureText: MISSING_IMPORT, signature: 'mocha:abc', maxTokens: 10_000 }).lessons.map((l) => l.id);
    assert.equal(kept.length, MAX_LESSONS_PER_PATTERN);
    assert.ok(kept.includes(ids[0]), 'the promoted lesson stays');
    assert.ok(!kept.includes(ids[1]), 'the oldest unpromoted lesson goes');
    assert.ok(kept.includes(newest.id), 'the new lesson gets its trial');
  });

  it('keeps 500 patterns, evicting the least recently seen', function () {
    this.timeout(60_000);
    const root = tmpWorkspace();
    const db = openDb(root);
    for (let i = 0; i < MAX_PATTERNS; i++) db.recordFailure(failure(`sig-${i}`));
    db.recordFailure(failure('sig-0'));
    db.recordFailure(failure('sig-new'));
    const file = JSON.parse(fs.readFileSync(path.join(root, '.munero', 'learning', 'patterns.json'), 'utf8'));
    const signatures = new Set(file.patterns.map((p: { signature: string }) => p.signature));
    assert.equal(signatures.size, MAX_PATTERNS);
    assert.ok(signatures.has('sig-0'));
    assert.ok(signatures.has('sig-new'));
    assert.ok(!signatures.has('sig-1'));
  });

  it('a corrupted patterns.json is moved aside with StateCorruptError', () => {
    const root = tmpWorkspace();
    const dir = path.join(root, '.munero', 'learning');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'patterns.json');
    fs.writeFileSync(file, '{"version": 1, "patterns": [');
    assert.throws(
      () => openDb(root),
      (err: unknown) => err instanceof StateCorruptError && err.message.includes(file) && err.message.includes('moved to'),
    );
    assert.equal(fs.existsSync(file), false);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('patterns.json.corrupt-'));
    assert.ok(aside);
    assert.equal(fs.readFileSync(path.join(dir, aside), 'utf8'), '{"version": 1, "patterns": [');

    fs.writeFileSync(file, '[1, 2, 3]');
    assert.throws(() => openDb(root), (err: unknown) => err instanceof StateCorruptError && /not a learning pattern database/.test((err as Error).message));
    assert.equal(fs.existsSync(file), false);
    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('patterns.json.corrupt-')).length, 2);
    assert.equal(openDb(root).recurringFailures(1).length, 0);
  });
});
