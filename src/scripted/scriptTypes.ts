/**
 * The script file format played by the scripted Messages-API server.
 * This is a public contract: every field is documented in ./README.md.
 */

export interface ScriptFile {
  version: 1;
  description?: string;
  turns: ScriptTurn[];
}

export interface ScriptTurn {
  /** Agent role, matched against the `x-munero-agent` request header. */
  agent: string;
  /** Task id, matched against `x-munero-task`; omitted = any task of that agent. */
  task?: string;
  content: ScriptContentBlock[];
  /** Default: `tool_use` if any tool_use block, else `end_turn`. */
  stop_reason?: ScriptStopReason;
  /** Overrides individual fields of the computed usage. */
  usage?: ScriptUsage;
  /** Delay before responding (streaming: before the first byte). */
  latency_ms?: number;
  /** Served one per request, in order, before the content; see README for `latency`. */
  faults?: Fault[];
  expect?: ScriptExpect;
}

export type ScriptContentBlock = ScriptTextBlock | ScriptToolUseBlock;

export interface ScriptTextBlock {
  type: 'text';
  text: string;
}

export interface ScriptToolUseBlock {
  type: 'tool_use';
  /** Generated (deterministically, `toolu_…`) when absent. */
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

export const STOP_REASONS = ['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'pause_turn', 'refusal'] as const;
export type ScriptStopReason = (typeof STOP_REASONS)[number];

export const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;
export type ScriptUsage = Partial<Record<(typeof USAGE_FIELDS)[number], number>>;

export interface ScriptExpect {
  /** Substrings that the tool_result text of the request's last user message must contain. */
  tool_results_contain?: string[];
}

export type Fault =
  /** `retry_after_s: null` sends no retry-after header. */
  | { type: 'rate_limit'; retry_after_s?: number | null }
  | { type: 'spend_limit' }
  | { type: 'bad_key' }
  | { type: 'forbidden' }
  | { type: 'request_too_large' }
  | { type: 'prompt_too_long' }
  | { type: 'stall' }
  | { type: 'malformed_tool_input' }
  | { type: 'overloaded' }
  | { type: 'server_error' }
  | { type: 'drop_mid_stream' }
  | { type: 'error_event_mid_stream' }
  | { type: 'latency'; ms: number };

export type FaultType = Fault['type'];
export const FAULT_TYPES: readonly FaultType[] = [
  'rate_limit',
  'spend_limit',
  'bad_key',
  'forbidden',
  'request_too_large',
  'prompt_too_long',
  'overloaded',
  'server_error',
  'drop_mid_stream',
  'error_event_mid_stream',
  'stall',
  'malformed_tool_input',
  'latency',
];
