import crypto from 'node:crypto';
import { DEFAULT_PARALLEL } from '../loop/coordinator';
import type { ReviewMode } from '../review/types';
import type { Spec } from '../spec';
import { sha256 } from '../state/blobs';
import type { MuneroEventBody } from '../events/types';
import { emptyUsage, STATE_SCHEMA, type BuildState, type JudgeState } from '../state/buildState';
import type { MuneroConfig } from './config';
import { resolveMaxCost, resolveMaxIterations, resolveModel, type BuildFlags, type EngineEnv } from './settings';

export function newBuildId(): string {
  return `b-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${crypto.randomBytes(3).toString('hex')}`;
}

/** The state document a new build starts from: its options resolved once, every requirement unverified. */
export function initialState(id: string, spec: Spec, config: MuneroConfig, flags: BuildFlags, env: EngineEnv, reviewMode: ReviewMode = 'auto'): BuildState {
  const now = new Date().toISOString();
  return {
    schema: STATE_SCHEMA,
    id,
    specPath: spec.path,
    specSha256: sha256(spec.text),
    createdAt: now,
    updatedAt: now,
    status: 'running',
    options: {
      model: resolveModel(flags, env, spec, config),
      maxIterations: resolveMaxIterations(flags, spec, config),
      maxCostUsd: resolveMaxCost(flags, spec, config),
      maxTurnsPerTask: config.maxTurnsPerTask ?? 40,
      maxTokens: flags.maxTokens ?? config.maxTokens,
      maxMinutes: flags.maxMinutes ?? config.maxMinutes,
      taskCaps: config.task ? { costUsd: config.task.maxCostUsd, tokens: config.task.maxTokens, minutes: config.task.maxMinutes } : undefined,
      parallel: flags.parallel ?? config.parallel ?? DEFAULT_PARALLEL,
      reflection: config.reflection ?? true,
      reviewer: config.reviewer ?? false,
      traceability: config.traceability === false ? false : undefined,
      allowTestChanges: flags.allowTestChanges || undefined,
      reviewMode: flags.reviewMode ?? reviewMode,
      only: flags.only?.length ? spec.requirements.map((r) => r.id) : undefined,
    },
    requirements: spec.requirements.map((r) => ({ id: r.id, title: r.title, range: r.range, verdict: 'unverified' })),
    tasks: {},
    iteration: 0,
    iterationOpen: false,
    usage: emptyUsage(),
    usageByAgent: {},
    checkpoints: [],
  };
}

/** The judge a build froze at its start, as announced on the bus. */
export function judgeFrozenEvent(judge: JudgeState): MuneroEventBody {
  return {
    type: 'judge.frozen',
    checks: judge.checks.map(({ name, command, run, source }) => ({ name, command, run, source })),
    testFiles: Object.keys(judge.testFiles).length,
  };
}
