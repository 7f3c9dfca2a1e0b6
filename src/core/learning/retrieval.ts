import { normaliseLessonText } from './patterns';
import { compareText, estimateTokens, jaccard, normaliseFailureText, tokenSet } from './text';
import type { LessonQuery, LessonRetrieval, PatternRecord, RetrievedLesson } from './types';

export const MIN_SIMILARITY = 0.3;
/** A lesson demoted this many times more than promoted is no longer offered. */
export const RETIRE_MARGIN = 2;

interface Candidate {
  lesson: RetrievedLesson;
  exact: boolean;
}

/**
 * The lessons relevant to a failure, best first, within `maxTokens`: those of the pattern with the
 * same signature first, then those of patterns whose text is similar, ranked by
 * similarity × (1 + promoted) / (1 + demoted).
 */
export function retrieveLessonsFrom(patterns: readonly PatternRecord[], query: LessonQuery): LessonRetrieval {
  const failureTokens = tokenSet(normaliseFailureText(query.failureText));
  const widenedTokens = query.taskText ? new Set([...failureTokens, ...tokenSet(normaliseFailureText(query.taskText))]) : failureTokens;
  const candidates: Candidate[] = [];
  for (const pattern of patterns) {
    const exact = query.signature !== undefined && pattern.signature === query.signature;
    const patternTokens = tokenSet(pattern.text);
    // Task text may widen a match but must not dilute a close match on the failure alone.
    const similarity = exact ? 1 : Math.max(jaccard(failureTokens, patternTokens), jaccard(widenedTokens, patternTokens));
    if (!exact && similarity < MIN_SIMILARITY) continue;
    for (const lesson of pattern.lessons) {
      if (lesson.demoted >= lesson.promoted + RETIRE_MARGIN) continue;
      const score = (similarity * (1 + lesson.promoted)) / (1 + lesson.demoted);
      candidates.push({ lesson: { id: lesson.id, text: lesson.text, score, similarity, fromSignature: pattern.signature }, exact });
    }
  }
  candidates.sort((a, b) => Number(b.exact) - Number(a.exact) || b.lesson.score - a.lesson.score || compareText(a.lesson.id, b.lesson.id));

  const lessons: RetrievedLesson[] = [];
  const seen = new Set<string>();
  let tokens = 0;
  for (const { lesson } of candidates) {
    const key = normaliseLessonText(lesson.text);
    if (seen.has(key)) continue;
    const cost = estimateTokens(lesson.text);
    if (tokens + cost > query.maxTokens) break;
    seen.add(key);
    tokens += cost;
    lessons.push(lesson);
  }
  return { lessons, tokens };
}
