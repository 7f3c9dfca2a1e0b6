export type { Requirement, SourceRange, Spec, SpecSettings } from './types';
export { SpecError, type SpecErrorCode } from './errors';
export { parseSpec } from './parse';
export { loadSpec, DEFAULT_MAX_SPEC_BYTES } from './load';
