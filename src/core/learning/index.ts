export { LEARNING_DIR, LearningDb, type LearningDbOptions } from './learningDb';
export { describeRecurring, failureLabel } from './labels';
export { MAX_LESSONS_PER_PATTERN, MAX_PATTERN_TEXT_CHARS, MAX_PATTERNS, MAX_TASKS_PER_PATTERN } from './patterns';
export { MIN_SIMILARITY, RETIRE_MARGIN, retrieveLessonsFrom } from './retrieval';
export { taskSignature } from './solutions';
export { estimateTokens, jaccard, normaliseFailureText, tokenSet } from './text';
export type * from './types';
