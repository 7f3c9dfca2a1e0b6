import type { AgentManager } from '../agents/lifecycle';
import type { AgentRegistry, RoleDefinition } from '../agents/registry';
import type { AgentDeps } from '../agents/runAgent';
import type { MuneroConfig } from '../build/config';
import type { ChangeSet } from '../changes/changeSet';
import type { EventBus } from '../events/bus';
import type { LearningDb } from '../learning';
import type { ModelClient } from '../llm/modelClient';
import type { McpHub } from '../mcp/hub';
import type { Spec } from '../spec';
import { addUsage, emptyUsage } from '../state/buildState';
import type { BuildRecord } from '../state/workspaceState';
import type { CommandRunner } from '../tools/commandRunner';
import type { CommandPolicy, ToolContext, ToolLimits } from '../tools/types';
import type { CheckCommand } from '../validation/checks';
import type { BudgetGuard } from './budget';
import type { CheckRunner } from './checkRunner';
import { agentCheckCommands, frozenChecks } from './frozenChecks';

/** Everything one running build shares between its steps. */
export interface RunContext {
  workspaceRoot: string;
  record: BuildRecord;
  bus: EventBus;
  changes: ChangeSet;
  /** The client for a role's model (the build's model unless the role names another). */
  modelFor: (role: RoleDefinition) => ModelClient;
  registry: AgentRegistry;
  agents: AgentManager;
  learning: LearningDb;
  guard: BudgetGuard;
  spec: Spec;
  config: MuneroConfig;
  signal: AbortSignal;
  toolLimits: ToolLimits;
  checkTimeoutMs: number;
  /** Check runs, one at a time (two test commands at once in one folder disturb each other). */
  checks: CheckRunner;
  /** Told when a task starts waiting for its checks and when they are back, so its slot can go to a ready task meanwhile. */
  onChecks?: (taskId: string, phase: 'waiting' | 'done') => void;
  /** The ripgrep search_files runs (VS Code's bundled one); default `rg` on PATH. */
  ripgrepPath?: string;
  /** Every command of this build, the agents' and the checks', goes through this runner. */
  commands: CommandRunner;
  /** Commands the user allows agents besides the validation commands (user settings only). */
  allowCommands: string[];
  /** The workspace's MCP servers, whose tools agents get by role. */
  mcp?: McpHub;
}

/** The checks that judge the build: frozen at its start (see frozenChecks.ts). */
export function checksFor(ctx: RunContext): CheckCommand[] {
  return frozenChecks(ctx);
}

/** By default an agent may run only the validation commands; more only through the user's own settings. */
export function commandPolicy(ctx: RunContext): CommandPolicy {
  const allow = [...agentCheckCommands(ctx), ...ctx.allowCommands];
  return { allow: [...new Set(allow)] };
}

export function toolContext(ctx: RunContext, origin: { agentId: string; taskId?: string; toolUseId?: string }, signal = ctx.signal): ToolContext {
  return {
    workspaceRoot: ctx.workspaceRoot,
    changes: ctx.changes.sinkFor(origin, signal),
    // Resolving the policy reads package.json; only run_command needs it, so not every tool call pays.
    get policy() {
      return commandPolicy(ctx);
    },
    limits: ctx.toolLimits,
    signal,
    ripgrepPath: ctx.ripgrepPath,
    pendingPaths: () => ctx.changes.all().filter((c) => c.status === 'proposed').map((c) => c.path),
    commands: ctx.commands,
    origin: { agentId: origin.agentId, taskId: origin.taskId },
  };
}

/** Wires an agent to the build: its own cancel signal, budget checks before requests, usage and transcripts after. */
export function agentDeps(ctx: RunContext, role: RoleDefinition, agentId: string, taskId?: string): AgentDeps {
  const model = ctx.modelFor(role);
  return {
    model,
    bus: ctx.bus,
    conversationFile: ctx.record.conversationFile(agentId),
    signal: ctx.agents.signalFor(agentId, ctx.signal),
    beforeRequest: (inputTokens) => ctx.guard.beforeRequest(taskId, { inputTokens, maxOutputTokens: model.settings.maxTokens, price: model.price }),
    afterResponse: (usage, request, response, timing) => {
      ctx.record.transcript(agentId).record(request as { messages: unknown[] }, response);
      ctx.record.update((s) => {
        addUsage(s.usage, usage);
        addUsage((s.usageByAgent[agentId] ??= emptyUsage()), usage);
        if (taskId && s.tasks[taskId]) addUsage((s.tasks[taskId].usage ??= emptyUsage()), usage);
      });
      ctx.bus.emit({ type: 'usage', agentId, role: role.name, taskId, model: response.model, request: usage, build: { ...ctx.record.state.usage }, ...timing });
    },
    onEnd: () => ctx.record.endTranscript(agentId),
  };
}
