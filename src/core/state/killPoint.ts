import fs from 'node:fs';
import path from 'node:path';

/**
 * Test hooks for the kill-at-every-step campaign (test/unit/engine/killCampaign.test.ts). The
 * engine calls `killPoint` right after each durable step: a line appended to a log, a state
 * document written, a workspace file written, a command started. Unset (always, outside tests)
 * each call is one comparison.
 *
 * - `MUNERO_TEST_KILL_TRACE=<file>` appends every point reached to that file, one label a line.
 * - `MUNERO_TEST_KILL_AT=<label>#<n>` ends the process with SIGKILL at the n-th time it reaches
 *   `label`, as a power cut or `kill -9` would: no handler, no flush, no cleanup runs.
 */
const killAt = parseKillAt(process.env.MUNERO_TEST_KILL_AT);
const traceFile = process.env.MUNERO_TEST_KILL_TRACE;
const active = killAt !== undefined || Boolean(traceFile);
const reached = new Map<string, number>();

export function killPoint(label: string | (() => string)): void {
  if (!active) return;
  const name = typeof label === 'function' ? label() : label;
  const n = (reached.get(name) ?? 0) + 1;
  reached.set(name, n);
  if (traceFile) fs.appendFileSync(traceFile, `${name}#${n}\n`);
  if (killAt && killAt.label === name && killAt.n === n) process.kill(process.pid, 'SIGKILL');
}

/** The label of a line appended to one of a build's logs: what kind of step it records. */
export function lineLabel(file: string, value: unknown): string {
  const v = (value ?? {}) as Record<string, unknown>;
  const name = path.basename(file, '.jsonl');
  const folder = path.basename(path.dirname(file));
  if (name === 'events') return eventLabel(v);
  if (name === 'changes') return `change:${String(v.status)}`;
  if (folder === 'conversations') return `conversation:${roleOf(name)}:${String(v.kind)}`;
  if (folder === 'transcripts') return `transcript:${roleOf(name)}`;
  return `log:${name}`;
}

/** The label of a state document written: a checkpoint by kind (`doc:checkpoint:task`), or the file's name. */
export function documentLabel(file: string): string {
  if (path.basename(path.dirname(file)) !== 'checkpoints') return `doc:${path.basename(file)}`;
  return `doc:checkpoint:${path.basename(file, '.json').split('-')[0]}`;
}

function eventLabel(v: Record<string, unknown>): string {
  const role = typeof v.agentId === 'string' ? roleOf(v.agentId) : undefined;
  if (v.type === 'agent.state') return `event:agent.state:${role}:${String(v.step)}`;
  if (v.type === 'tool.called' || v.type === 'tool.result') return `event:${v.type}:${role}:${String(v.tool)}`;
  if (role) return `event:${String(v.type)}:${role}`;
  return `event:${String(v.type)}`;
}

/** `coder-T1-a2` → `coder`; `planner-v2` → `planner`. */
function roleOf(agentId: string): string {
  return agentId.split('-')[0];
}

function parseKillAt(value: string | undefined): { label: string; n: number } | undefined {
  const m = value ? /^(.+)#(\d+)$/.exec(value) : null;
  return m ? { label: m[1], n: Number(m[2]) } : undefined;
}
