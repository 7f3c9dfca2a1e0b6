export type { Criterion, DeltaNotice, Requirement, SourceRange, Spec, SpecIssue, SpecNote, SpecSettings, SpecTask } from './types';
export { SpecError, type SpecErrorCode } from './errors';
export { parseSpec, readSpecText, formatIssue } from './parse';
export { loadSpec, DEFAULT_MAX_SPEC_BYTES } from './load';
export { selectRequirements } from './select';
export { referenceResolver } from './references';
export { checkSpec, type SpecCheck } from './check';
export { parseTasksFile } from './tasksFile';
