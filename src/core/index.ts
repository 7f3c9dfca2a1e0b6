// The core's public surface. Adapters (CLI, extension, language server) import from here only.
export { BuildManager, BuildInputError, type BuildResult, type BuildManagerOptions } from './build/buildManager';
export { buildReport } from './build/report';
export { ConfigError, loadConfig, type MuneroConfig } from './build/config';
export { DEFAULT_MODEL, MissingApiKeyError, envFromProcess, type BuildFlags, type EngineEnv } from './build/settings';
export { AgentsFileError } from './agents/registry';
export type { ChangeRecord } from './changes/changeSet';
export type * from './review/types';
export { unifiedHunk } from './review/hunks';
export type { EventBus } from './events/bus';
export { describeEvent } from './events/describe';
export type * from './events/types';
export { SpecError, checkSpec, loadSpec, parseSpec, type Requirement, type Spec, type SpecCheck } from './spec';
export { BuildLockedError, StateCorruptError, type LockInfo } from './state/errors';
export { START_CHECKPOINT } from './state/checkpoints';
export type { RestorePreview, RestorePreviewFile, TimelineEntry } from './build/checkpointViews';
export type { RestoreOutcome } from './build/restore';
export { STATE_DIR } from './state/workspaceState';
export { addUsage, emptyUsage, type BuildState, type HistoryEntry, type PlanTask, type RequirementVerdict, type TestChangeFlag } from './state/buildState';
