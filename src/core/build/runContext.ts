import { AgentManager } from '../agents/lifecycle';
import type { AgentRegistry, RoleDefinition } from '../agents/registry';
import type { ChangeSet } from '../changes/changeSet';
import type { EventBus } from '../events/bus';
import type { LearningDb } from '../learning';
import { ModelClient, type ModelSettings } from '../llm/modelClient';
import { BudgetGuard } from '../loop/budget';
import { CheckRunner } from '../loop/checkRunner';
import { DEFAULT_PARALLEL } from '../loop/coordinator';
import type { RunContext } from '../loop/context';
import { runChecksNow } from '../loop/taskAttempt';
import type { Spec } from '../spec';
import type { BuildRecord } from '../state/workspaceState';
import { DEFAULT_TOOL_LIMITS } from '../tools/types';
import type { MuneroConfig } from './config';
import type { EngineEnv } from './settings';
import type { CommandRunner } from '../tools/commandRunner';
import type { McpHub } from '../mcp/hub';
import { addUsage, emptyUsage } from '../state/buildState';

export interface RunInputs {
  spec: Spec;
  config: MuneroConfig;
  apiKey: string;
  env: EngineEnv;
  registry: AgentRegistry;
  learning: LearningDb;
  commands: CommandRunner;
}

/** Wires one run of a build: a model client per model, the agent manager, the budget guard, the check runner. */
export function createRunContext(opts: {
  workspaceRoot: string;
  record: BuildRecord;
  bus: EventBus;
  changes: ChangeSet;
  run: RunInputs;
  signal: AbortSignal;
  runStarted: number;
  ripgrepPath?: string;
  mcp?: McpHub;
}): RunContext {
  const { record, bus, run } = opts;
  const { config } = run;
  const state = record.state;
  const clients = new Map<string, ModelClient>();
  const modelFor = (role: RoleDefinition) => {
    const model = role.model ?? state.options.model;
    let client = clients.get(model);
    if (!client) {
      client = new ModelClient(modelSettings(model, run.apiKey, run.env, config), {
        onRetry: (n) => bus.emit({ type: 'retry', agentId: n.agentId, attempt: n.attempt, delayMs: Math.round(n.delayMs), reason: n.reason }),
        onFailedAttempt: (who) => countFailedRequest(record, bus, model, who),
      });
      clients.set(model, client);
    }
    return client;
  };
  const ctx: RunContext = {
    workspaceRoot: opts.workspaceRoot,
    record,
    bus,
    changes: opts.changes,
    modelFor,
    registry: run.registry,
    agents: new AgentManager(bus),
    learning: run.learning,
    guard: new BudgetGuard(() => record.state, opts.runStarted),
    spec: run.spec,
    config,
    signal: opts.signal,
    toolLimits: DEFAULT_TOOL_LIMITS,
    checkTimeoutMs: (config.commands?.timeoutS ?? 600) * 1000,
    // Overlapping check runs only when the workspace says its tests can share the folder.
    checks: new CheckRunner((scope, taskIds) => runChecksNow(ctx, scope, taskIds), config.checks?.overlap ? Math.max(1, state.options.parallel ?? DEFAULT_PARALLEL) : 1),
    ripgrepPath: opts.ripgrepPath,
    commands: run.commands,
    allowCommands: run.env.allowCommands ?? [],
    mcp: opts.mcp,
  };
  return ctx;
}

function modelSettings(model: string, apiKey: string, env: EngineEnv, config: MuneroConfig): ModelSettings {
  const r = config.request ?? {};
  return {
    apiKey,
    // Only the user's: a workspace's config.json cannot send the key elsewhere.
    baseURL: env.baseURL,
    baseURLSetting: env.baseURLSetting,
    model,
    maxTokens: r.maxTokens ?? 8192,
    requestTimeoutMs: (r.timeoutS ?? 600) * 1000,
    idleTimeoutMs: r.idleTimeoutS === undefined ? undefined : r.idleTimeoutS * 1000,
    maxRetries: r.maxRetries ?? 4,
    retryBaseMs: r.retryBaseMs ?? 1000,
    retryMaxMs: r.retryMaxMs ?? 30_000,
    pricing: config.pricing,
  };
}

/** A request that failed still went out: the summary's "model requests" counts every attempt. */
function countFailedRequest(record: BuildRecord, bus: EventBus, model: string, who: { agentId: string; taskId?: string }): void {
  const one = { ...emptyUsage(), requests: 1 };
  record.update((s) => {
    addUsage(s.usage, one);
    addUsage((s.usageByAgent[who.agentId] ??= emptyUsage()), one);
    if (who.taskId && s.tasks[who.taskId]) addUsage((s.tasks[who.taskId].usage ??= emptyUsage()), one);
  });
  bus.emit({ type: 'usage', agentId: who.agentId, taskId: who.taskId, model, request: one, build: { ...record.state.usage } });
}
