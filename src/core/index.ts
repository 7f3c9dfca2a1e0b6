// The core's public surface. Adapters (CLI, extension, language server) import from here only.
export { BuildManager, BuildInputError, type BuildResult, type BuildManagerOptions } from './build/buildManager';
export { ConfigError, loadConfig, type MuneroConfig } from './build/config';
export { DEFAULT_MODEL, MissingApiKeyError, envFromProcess, type BuildFlags, type EngineEnv } from './build/settings';
export { AUTO_ACCEPT, type ChangeRecord, type ReviewPolicy } from './changes/changeSet';
export type { EventBus } from './events/bus';
export type * from './events/types';
export { SpecError, loadSpec, parseSpec, type Requirement, type Spec } from './spec';
export { BuildLockedError, StateCorruptError } from './state/errors';
export type { BuildState, HistoryEntry, PlanTask, RequirementVerdict } from './state/buildState';
