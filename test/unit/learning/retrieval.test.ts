import assert from 'node:assert/strict';
import { MISSING_IMPORT, MISSING_IMPORT_ELSEWHERE, ASSERTION, openDb, tmpWorkspace } from './helpers';

const lessonFor = (signature: string, failureText: string, text: string, taskId = 'T1') => ({
  signature,
  failureText,
  buildId: 'b1',
  taskId,
  lesson: text,
  rootCause: 'root cause',
});

describe('learning lesson retrieval', () => {
  it('finds lessons by exact signature, first', () => {
    const db = openDb(tmpWorkspace());
    const bySig = db.addLesson(lessonFor('mocha:assert', ASSERTION, 'Compare against the value the spec names.'));
    const byText = db.addLesson(lessonFor('mocha:import', MISSING_IMPORT, 'Create the module before importing it.'));
    db.markOutcome({ lessonIds: [byText.id], outcome: 'passed' });
    const { lessons } = db.retrieveLessons({ failureText: MISSING_IMPORT, signature: 'mocha:assert', maxTokens: 1000 });
    assert.deepEqual(lessons.map((l) => [l.id, l.fromSignature, l.similarity]), [
      [bySig.id, 'mocha:assert', 1],
      [byText.id, 'mocha:import', 1],
    ]);
  });

  it('finds a lesson for the same message with other paths and numbers, not for an unrelated failure', () => {
    const db = openDb(tmpWorkspace());
    const added = db.addLesson(lessonFor('mocha:import', MISSING_IMPORT, 'Create the module before importing it.'));
    const similar = db.retrieveLessons({ failureText: MISSING_IMPORT_ELSEWHERE, signature: 'mocha:other', maxTokens: 1000 });
    assert.deepEqual(similar.lessons.map((l) => l.id), [added.id]);
    assert.ok(similar.lessons[0].similarity >= 0.3);
    const unrelated = db.retrieveLessons({ failureText: ASSERTION, signature: 'mocha:assert', maxTokens: 1000 });
    assert.deepEqual(unrelated, { lessons: [], tokens: 0 });
  });

  it('task text widens a match without diluting it', () => {
    const db = openDb(tmpWorkspace());
    const imports = db.addLesson(lessonFor('mocha:import', MISSING_IMPORT, 'Create the module before importing it.'));
    const longTask = Array.from({ length: 60 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`).join(' ');
    assert.deepEqual(db.retrieveLessons({ failureText: MISSING_IMPORT_ELSEWHERE, taskText: longTask, maxTokens: 1000 }).lessons.map((l) => l.id), [imports.id]);

    const routing = db.addLesson(lessonFor('mocha:routes', 'express router middleware mounted twice on checkout routes', 'Mount each router once.'));
    const failureText = 'Error: middleware failed';
    assert.deepEqual(db.retrieveLessons({ failureText, maxTokens: 1000 }).lessons, []);
    assert.deepEqual(db.retrieveLessons({ failureText, taskText: 'Express router for the checkout routes', maxTokens: 1000 }).lessons.map((l) => l.id), [routing.id]);
  });

  it('promotion and demotion change the ranking; a lesson demoted twice past its promotions is retired', () => {
    const db = openDb(tmpWorkspace());
    const ids = ['Check the import path.', 'Create the module before importing it.'].map((t) => db.addLesson(lessonFor('mocha:import', MISSING_IMPORT, t)).id);
    const ranked = () => db.retrieveLessons({ failureText: MISSING_IMPORT, signature: 'mocha:import', maxTokens: 1000 }).lessons.map((l) => l.id);
    const [low, high] = [...ids].sort();
    assert.deepEqual(ranked(), [low, high], 'ties go by id');

    db.markOutcome({ lessonIds: [high], outcome: 'passed' });
    assert.deepEqual(ranked(), [high, low]);

    db.markOutcome({ lessonIds: [high], outcome: 'other_failure' });
    db.markOutcome({ lessonIds: [high], outcome: 'same_failure' });
    db.markOutcome({ lessonIds: [high], outcome: 'same_failure' });
    assert.deepEqual(ranked(), [low, high], 'promoted 1, demoted 2: still offered, ranked lower');

    const [after] = db.markOutcome({ lessonIds: [high], outcome: 'same_failure' });
    assert.deepEqual([after.promoted, after.demoted], [1, 3]);
    assert.ok(after.lastUsed);
    assert.deepEqual(ranked(), [low], 'promoted 1, demoted 3: retired');
  });

  it('stays within maxTokens', () => {
    const db = openDb(tmpWorkspace());
    for (let i = 0; i < 30; i++) {
      const text = `Lesson ${i}: ${'check the module path and the export name carefully. '.repeat(2)}`;
      db.addLesson(lessonFor(`mocha:import-${i % 3}`, MISSING_IMPORT, text, `T${i}`));
    }
    const all = db.retrieveLessons({ failureText: MISSING_IMPORT, maxTokens: 100_000 });
    assert.equal(all.lessons.length, 30);
    const bounded = db.retrieveLessons({ failureText: MISSING_IMPORT, maxTokens: 100 });
    const perLesson = Math.ceil(all.lessons[0].text.length / 4);
    assert.equal(bounded.lessons.length, Math.floor(100 / perLesson));
    assert.ok(bounded.tokens <= 100);
    assert.equal(bounded.tokens, bounded.lessons.reduce((n, l) => n + Math.ceil(l.text.length / 4), 0));
    assert.deepEqual(bounded.lessons, all.lessons.slice(0, bounded.lessons.length));
    assert.deepEqual(db.retrieveLessons({ failureText: MISSING_IMPORT, maxTokens: 5 }), { lessons: [], tokens: 0 });
  });
});
