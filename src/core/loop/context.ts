import type { AgentDeps } from '../agents/runAgent';
import type { MuneroConfig } from '../build/config';
import type { ChangeSet } from '../changes/changeSet';
import type { EventBus } from '../events/bus';
import type { ModelClient } from '../llm/modelClient';
import type { Spec } from '../spec';
import { addUsage, emptyUsage } from '../state/buildState';
import type { BuildRecord } from '../state/workspaceState';
import type { CommandPolicy, ToolContext, ToolLimits } from '../tools/types';
import { resolveChecks, type CheckCommand } from '../validation/checks';

/** Stops the build before a request that would pass a cap. */
export class BudgetExceededError extends Error {
  constructor(readonly cap: string, message: string) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

/** Everything one running build shares between its steps. */
export interface RunContext {
  workspaceRoot: string;
  record: BuildRecord;
  bus: EventBus;
  changes: ChangeSet;
  model: ModelClient;
  spec: Spec;
  config: MuneroConfig;
  signal: AbortSignal;
  toolLimits: ToolLimits;
  checkTimeoutMs: number;
}

export function checksFor(ctx: RunContext): CheckCommand[] {
  return resolveChecks(ctx.workspaceRoot, { spec: ctx.spec.settings, config: ctx.config.commands ?? {} });
}

/** By default an agent may run only the validation commands; more through config or front matter. */
export function commandPolicy(ctx: RunContext): CommandPolicy {
  const allow = [
    ...checksFor(ctx).map((c) => c.command),
    ...(ctx.config.commands?.allow ?? []),
    ...(ctx.spec.settings.allow_commands ?? []),
  ];
  return { allow: [...new Set(allow)] };
}

export function toolContext(ctx: RunContext, origin: { agentId: string; taskId?: string; toolUseId?: string }): ToolContext {
  return {
    workspaceRoot: ctx.workspaceRoot,
    changes: ctx.changes.sinkFor(origin),
    policy: commandPolicy(ctx),
    limits: ctx.toolLimits,
    signal: ctx.signal,
  };
}

/** Wires an agent to the build: budget checks before requests, usage and transcripts after. */
export function agentDeps(ctx: RunContext, agentId: string, taskId?: string): AgentDeps {
  return {
    model: ctx.model,
    bus: ctx.bus,
    conversationFile: ctx.record.conversationFile(agentId),
    signal: ctx.signal,
    beforeRequest: () => {
      const cap = ctx.record.state.options.maxCostUsd;
      const spent = ctx.record.state.usage.costUsd;
      if (cap !== undefined && spent >= cap) {
        throw new BudgetExceededError('max-cost-usd', `The cost cap of $${cap.toFixed(2)} was reached ($${spent.toFixed(4)} spent).`);
      }
    },
    afterResponse: (usage, request, response) => {
      ctx.record.transcript(agentId).record(request as { messages: unknown[] }, response);
      ctx.record.update((s) => {
        addUsage(s.usage, usage);
        addUsage((s.usageByAgent[agentId] ??= emptyUsage()), usage);
      });
      ctx.bus.emit({ type: 'usage', agentId, taskId, model: response.model, request: usage, build: { ...ctx.record.state.usage } });
    },
  };
}
