import fs from 'node:fs';
import path from 'node:path';
import type { MuneroEvent, UsageTotals } from '../events/types';
import { addUsage, emptyUsage, STATE_SCHEMA, type BuildState, type HistoryEntry } from './buildState';
import type { CheckpointManifest } from './checkpoints';
import { readJsonLines, type NoteSink } from './jsonLines';
import type { StateAtCheckpoint } from './stateAtCheckpoint';

export interface RebuildInputs {
  /** The build's folder, `.munero/builds/<id>`. */
  dir: string;
  id: string;
  /** The build's line in history.jsonl, when it ended. */
  history?: HistoryEntry;
  movedTo?: string;
  note?: NoteSink;
}

/**
 * A build's state document rebuilt from what is append-only or written once: the event log
 * (spec, verdicts, task outcomes, usage, how it ended), the newest checkpoint's task state, and
 * the history line. The options and the frozen judge live only in the document; they are named
 * as lost, and such a build is not resumed (BuildManager refuses) so nothing is judged by a guess.
 * Undefined when there is nothing to rebuild from.
 */
export function rebuildBuildState(inputs: RebuildInputs): BuildState | undefined {
  const { dir, id, history, note } = inputs;
  const events = readJsonLines<MuneroEvent>(path.join(dir, 'events.jsonl'), note);
  const checkpoints = readableCheckpoints(path.join(dir, 'checkpoints'));
  const started = events.find((e): e is Extract<MuneroEvent, { type: 'build.started' }> => e.type === 'build.started');
  if (!started && !history && checkpoints.length === 0) return undefined;

  const from: string[] = [];
  const lost = ['the build options (model, limits), shown as defaults', 'the checks frozen at the start, so the build cannot be resumed'];
  const newest = [...checkpoints].reverse().find((m) => m.meta?.state);
  const state: StateAtCheckpoint = newest?.meta?.state
    ? structuredClone(newest.meta.state)
    : { tasks: {}, requirements: (started?.requirementIds ?? []).map((rid) => ({ id: rid, title: '', range: { startLine: 0, endLine: 0 }, verdict: 'unverified' })), iteration: 0, iterationOpen: false, plan: undefined, iterations: [], lastChecks: undefined, pendingReplan: undefined };
  if (newest) from.push(`the task state of checkpoint "${newest.name}"`);
  if (events.length) from.push(`${events.length} ${events.length === 1 ? 'event' : 'events'} in events.jsonl`);
  if (history) from.push('its line in history.jsonl');
  if (!newest?.meta?.state) lost.push('the plan (no checkpoint recorded one)');

  const after = newest?.createdAt ?? '';
  let finished: Extract<MuneroEvent, { type: 'build.finished' }> | undefined;
  let usage: UsageTotals | undefined;
  let model: string | undefined;
  const usageByAgent: Record<string, UsageTotals> = {};
  for (const e of events) {
    if (e.type === 'build.started') finished = undefined;
    if (e.type === 'build.finished') finished = e;
    if (e.type === 'usage') {
      usage = e.build;
      model = e.model;
      addUsage((usageByAgent[e.agentId] ??= emptyUsage()), e.request);
    }
    if (e.at <= after) continue;
    if (e.type === 'iteration.started') state.iteration = e.iteration;
    if (e.type === 'task.finished') state.tasks[e.taskId] = { ...state.tasks[e.taskId], status: e.status, attempts: Math.max(e.attempt, state.tasks[e.taskId]?.attempts ?? 0) };
    if (e.type === 'requirement.verdict') {
      const r = state.requirements.find((q) => q.id === e.id);
      if (r) Object.assign(r, { verdict: e.verdict, reason: e.reason, verifiedBy: e.verifiedBy, tests: e.tests });
    }
  }
  const status = finished?.outcome ?? history?.status ?? 'paused';
  const now = new Date().toISOString();
  const createdAt = history?.startedAt ?? started?.at ?? checkpoints[0]?.createdAt ?? now;
  return {
    schema: STATE_SCHEMA,
    id,
    specPath: started?.specPath ?? history?.specPath ?? '',
    specSha256: '',
    createdAt,
    updatedAt: history?.endedAt ?? events.at(-1)?.at ?? createdAt,
    status: status === 'running' ? 'paused' : status,
    stopReason: finished?.summary ?? (status === 'paused' ? 'it stopped before it ended; its state document was rebuilt, so it cannot be resumed' : undefined),
    options: { model: model ?? 'unknown', maxIterations: Math.max(state.iteration, 1), maxTurnsPerTask: 40 },
    ...state,
    usage: usage ?? history?.usage ?? emptyUsage(),
    usageByAgent,
    checkpoints: checkpoints.filter((m) => m.name !== 'start').map((m) => m.name),
    lastCheckpoint: checkpoints.at(-1)?.name,
    recovered: { at: now, movedTo: inputs.movedTo, from, lost },
  };
}

/** The manifests that parse, oldest first (a damaged one is left for Checkpoints to move aside and report). */
function readableCheckpoints(dir: string): CheckpointManifest[] {
  if (!fs.existsSync(dir)) return [];
  const out: CheckpointManifest[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CheckpointManifest;
      if (typeof m.name === 'string' && typeof m.createdAt === 'string' && m.files) out.push(m);
    } catch {
      // Reported when the checkpoint itself is opened.
    }
  }
  return out.sort((a, b) => (a.name === 'start' ? -1 : b.name === 'start' ? 1 : a.createdAt.localeCompare(b.createdAt)));
}
