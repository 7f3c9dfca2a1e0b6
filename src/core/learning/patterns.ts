import { createHash } from 'node:crypto';
import { compareText, normaliseFailureText } from './text';
import type { FailureInput, Lesson, LessonInput, LessonOutcome, PatternRecord, PatternsFile } from './types';

export const MAX_PATTERNS = 500;
export const MAX_LESSONS_PER_PATTERN = 10;
export const MAX_TASKS_PER_PATTERN = 50;
export const MAX_PATTERN_TEXT_CHARS = 400;

export function emptyPatternsFile(): PatternsFile {
  return { version: 1, patterns: [] };
}

export function isPatternsFile(data: unknown): data is PatternsFile {
  const d = data as PatternsFile | null;
  return typeof d === 'object' && d !== null && Array.isArray(d.patterns) && d.patterns.every((p) => typeof p?.signature === 'string' && Array.isArray(p.lessons) && Array.isArray(p.tasks));
}

/** Finds or creates the pattern of `input.signature`, marks it seen now by this task, and applies the pattern cap. */
export function touchPattern(data: PatternsFile, input: FailureInput, at: string, countOccurrence: boolean): PatternRecord {
  if (input.signature.trim() === '') throw new Error('A failure signature must not be empty');
  const index = data.patterns.findIndex((p) => p.signature === input.signature);
  const pattern = index >= 0 ? data.patterns.splice(index, 1)[0] : newPattern(input.signature, at);
  // Kept in the order last seen, so equal timestamps still evict the least recently seen first.
  data.patterns.push(pattern);
  if (countOccurrence || index < 0) pattern.occurrences++;
  pattern.lastSeen = at;
  if (pattern.text === '') pattern.text = normaliseFailureText(input.failureText).slice(0, MAX_PATTERN_TEXT_CHARS);
  const task = `${input.buildId}/${input.taskId}`;
  pattern.tasks = [...pattern.tasks.filter((t) => t !== task), task].slice(-MAX_TASKS_PER_PATTERN);
  evictPatterns(data, pattern);
  return pattern;
}

/** Attaches a lesson, or returns the pattern's equal lesson (same normalised text) already there. */
export function attachLesson(pattern: PatternRecord, input: LessonInput, at: string): Lesson {
  const key = normaliseLessonText(input.lesson);
  if (key === '') throw new Error('A lesson must not be empty');
  const existing = pattern.lessons.find((l) => normaliseLessonText(l.text) === key);
  if (existing) {
    if (existing.root_cause === '') existing.root_cause = input.rootCause.trim();
    return existing;
  }
  const lesson: Lesson = {
    id: lessonId(pattern.signature, key),
    text: input.lesson.trim(),
    root_cause: input.rootCause.trim(),
    promoted: 0,
    demoted: 0,
    createdAt: at,
  };
  pattern.lessons.push(lesson);
  evictLessons(pattern, lesson);
  return lesson;
}

/** passed → promoted, same_failure → demoted, other_failure → neither; every listed lesson counts as used. */
export function applyOutcome(data: PatternsFile, lessonIds: readonly string[], outcome: LessonOutcome, at: string): Lesson[] {
  const wanted = new Set(lessonIds);
  const changed: Lesson[] = [];
  for (const pattern of data.patterns) {
    for (const lesson of pattern.lessons) {
      if (!wanted.has(lesson.id)) continue;
      if (outcome === 'passed') lesson.promoted++;
      if (outcome === 'same_failure') lesson.demoted++;
      lesson.lastUsed = at;
      changed.push(lesson);
    }
  }
  return changed;
}

export function lessonScore(lesson: Lesson): number {
  return lesson.promoted - lesson.demoted;
}

export function normaliseLessonText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!]+$/, '');
}

function newPattern(signature: string, at: string): PatternRecord {
  return { signature, text: '', occurrences: 0, firstSeen: at, lastSeen: at, tasks: [], lessons: [] };
}

function lessonId(signature: string, normalisedText: string): string {
  return 'L-' + createHash('sha1').update(`${signature}\n${normalisedText}`).digest('hex').slice(0, 12);
}

function evictPatterns(data: PatternsFile, keep: PatternRecord): void {
  while (data.patterns.length > MAX_PATTERNS) {
    let victim = -1;
    data.patterns.forEach((p, i) => {
      if (p !== keep && (victim < 0 || p.lastSeen < data.patterns[victim].lastSeen)) victim = i;
    });
    data.patterns.splice(victim, 1);
  }
}

// The lesson just added is never the one evicted: it has not had a chance to prove itself yet.
function evictLessons(pattern: PatternRecord, keep: Lesson): void {
  while (pattern.lessons.length > MAX_LESSONS_PER_PATTERN) {
    const victim = pattern.lessons
      .filter((l) => l !== keep)
      .sort((a, b) => lessonScore(a) - lessonScore(b) || compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id))[0];
    pattern.lessons.splice(pattern.lessons.indexOf(victim), 1);
  }
}
