import type { ChangeSink } from '../changes/types';
import type { CommandRunner } from './commandRunner';

/** A tool as the Messages API sees it. `input_schema` is also what inputs are checked against. */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
}

/** What a tool call returns to the model. Errors are results too: never thrown at the agent loop. */
export type ToolOutcome =
  | { ok: true; content: string }
  | { ok: false; error: string };

export interface ToolLimits {
  /** Cap on the text of any one tool result before it enters the model's context. */
  maxResultChars: number;
  /** Files larger than this are not read whole. */
  maxReadBytes: number;
  /** Cap on entries returned by list_files / matches by search_files. */
  maxListEntries: number;
  /** Default and ceiling for run_command's timeout_s. */
  defaultCommandTimeoutS: number;
  maxCommandTimeoutS: number;
  /** search_files stops here and answers with what it found (default 20 s). */
  searchTimeoutMs?: number;
  /** The JavaScript search (no ripgrep) gives up on a pattern stuck this long on one file (default 3 s). */
  searchFileTimeoutMs?: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxResultChars: 12_000,
  maxReadBytes: 1_000_000,
  maxListEntries: 500,
  defaultCommandTimeoutS: 120,
  maxCommandTimeoutS: 600,
};

/** Which shell commands an agent may run. */
export interface CommandPolicy {
  /**
   * Exact commands (`npm test`), or prefixes ending in ` *` (`npx tsc *`). Default: the
   * configured validation commands only.
   */
  allow: string[];
}

export interface ToolContext {
  /** Absolute, real (symlinks resolved) path of the workspace root. */
  workspaceRoot: string;
  changes: ChangeSink;
  policy: CommandPolicy;
  limits: ToolLimits;
  signal?: AbortSignal;
  /**
   * The ripgrep search_files runs (VS Code's bundled one); when missing, `rg` on PATH. false: never
   * ripgrep, always the JavaScript search.
   */
  ripgrepPath?: string | false;
  /** Paths with pending (not yet on disk) content, so search_files finds what only they contain. */
  pendingPaths?: () => Iterable<string>;
  /** The one door for commands: sandboxed, with an allowlisted environment. */
  commands: CommandRunner;
  /** The agent (and task) whose tools these are, for the change log of what its commands wrote. */
  origin?: { agentId: string; taskId?: string };
}
