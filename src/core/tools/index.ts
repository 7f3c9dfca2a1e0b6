export { capText, joinHeadTail, omissionMarker } from './capText';
export { checkCommand, normaliseCommand, type CommandCheck } from './commandPolicy';
export { formatCommandResult } from './commandTool';
export {
  CODER_TOOLS,
  EDIT_FILE,
  LIST_FILES,
  PLANNER_TOOLS,
  READ_FILE,
  RUN_COMMAND,
  SEARCH_FILES,
  SUBMIT_PLAN,
  TASK_COMPLETE,
  WRITE_FILE,
} from './definitions';
export { describeErrors, executeTool } from './executeTool';
export { commandEnv } from './commandEnv';
export { CommandRunner, SandboxUnavailableError, type SandboxMode, type SandboxStatus } from './commandRunner';
export { runCommand, type CommandResult, type RunCommandOptions } from './runCommand';
export { ToolError } from './toolError';
export * from './types';
export { assertWritable, PathError, resolveInWorkspace } from './workspacePath';
