import * as vscode from 'vscode';
import { describeLockHolder, type BuildState, type PlanTask, type RequirementVerdict, type UsageTotals } from '../core';
import { bottleneckItem, type BottleneckNode } from './bottleneckRow';
import type { BuildMetrics } from './buildMetrics';
import { RUNNING_ELSEWHERE, type AgentLive, type LiveBuild } from './liveBuild';
import { changesChildren, changesItem, changesRoots, type ChangesNode } from './review/changesTree';
import type { ReviewModel } from './review/reviewModel';
import { timelineChildren, timelineItem, type TimelineNode, type TimelineSource } from './timeline/timelineTree';
import type { PendingCall } from './mcp/mcpPrompts';
import { mcpChildren, mcpItem, mcpPromptRoots, mcpRoots, type McpNode, type McpSource } from './mcp/mcpTree';

export type Node =
  | { kind: 'build'; state: BuildState }
  | { kind: 'task'; task: PlanTask }
  | { kind: 'agent'; agent: AgentLive }
  | { kind: 'requirements' }
  | { kind: 'requirement'; req: RequirementVerdict }
  | { kind: 'error'; message: string }
  | { kind: 'repaired'; notes: string[] }
  | BottleneckNode
  | ChangesNode
  | TimelineNode
  | McpNode;

const TASK_ICONS: Record<string, [string, string?]> = {
  pending: ['circle-outline'],
  running: ['sync~spin', 'charts.blue'],
  done: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  blocked: ['debug-pause', 'charts.yellow'],
  escalated: ['report', 'charts.orange'],
};
const AGENT_ICONS: Record<string, [string, string?]> = {
  idle: ['circle-outline'],
  thinking: ['loading~spin', 'charts.blue'],
  acting: ['tools', 'charts.blue'],
  waiting: ['watch'],
  done: ['check', 'testing.iconPassed'],
  failed: ['close', 'testing.iconFailed'],
};
const VERDICT_ICONS: Record<string, [string, string?]> = {
  verified: ['pass-filled', 'testing.iconPassed'],
  'passed-untraced': ['pass', 'testing.iconQueued'],
  unverified: ['circle-large-outline', 'testing.iconQueued'],
  failed: ['error', 'testing.iconFailed'],
};
const BUILD_ICONS: Record<string, [string, string?]> = {
  running: ['sync~spin', 'charts.blue'],
  [RUNNING_ELSEWHERE]: ['eye', 'charts.blue'],
  verified: ['pass-filled', 'testing.iconPassed'],
  unmet: ['warning', 'charts.yellow'],
  paused: ['debug-pause', 'charts.yellow'],
  cancelled: ['circle-slash'],
  failed: ['error', 'testing.iconFailed'],
};

function icon([id, color]: [string, string?] = ['circle-outline']): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** MCP calls waiting for the user's Allow or Deny: a row each at the top, and the asking agent's row says it waits. */
export interface PromptSource {
  list(): PendingCall[];
  readonly onDidChange: vscode.Event<void>;
}

/** The Munero sidebar: build → tasks → agents, and the spec's requirements with their verdicts. */
export class BuildTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(
    private readonly live: LiveBuild,
    private readonly review?: ReviewModel,
    private readonly timeline?: TimelineSource,
    private readonly mcp?: McpSource,
    private readonly prompts?: PromptSource,
    private readonly metrics?: Pick<BuildMetrics, 'topBottleneck' | 'onDidChange'>,
  ) {
    const none = new vscode.Disposable(() => undefined);
    this.listener = vscode.Disposable.from(
      live.onDidChange(() => this.changed.fire(undefined)),
      review?.onDidChange(() => this.changed.fire(undefined)) ?? none,
      prompts?.onDidChange(() => this.changed.fire(undefined)) ?? none,
      metrics?.onDidChange(() => this.changed.fire(undefined)) ?? none,
    );
  }

  /** Redraw (an MCP server changed state). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  getChildren(node?: Node): Node[] {
    const state = this.live.state;
    if (!node) {
      if (this.live.readError) return [{ kind: 'error', message: this.live.readError.message }];
      // Questions for the user go first: an agent's own row may sit in a collapsed task.
      const prompts = mcpPromptRoots(this.prompts?.list());
      const repaired = this.live.repairs.length ? [{ kind: 'repaired' as const, notes: [...this.live.repairs] }] : [];
      return state ? [...prompts, ...repaired, { kind: 'build', state }, ...changesRoots(this.review), { kind: 'requirements' }, ...mcpRoots(this.mcp, true)] : [...prompts, ...mcpRoots(this.mcp, false)];
    }
    if (node.kind === 'mcpServers') return this.mcp ? mcpChildren(this.mcp, node) : [];
    if (!state) return [];
    switch (node.kind) {
      case 'build': {
        const bottleneck = this.metrics?.topBottleneck(state.id);
        return [
          ...(bottleneck ? [{ kind: 'bottleneck' as const, bottleneck }] : []),
          ...this.live.agentsOf(undefined).map((agent) => ({ kind: 'agent' as const, agent })),
          ...(state.plan?.tasks ?? []).map((task) => ({ kind: 'task' as const, task })),
          ...(this.timeline ? [{ kind: 'timeline' as const }] : []),
        ];
      }
      case 'task':
        return this.live.agentsOf(node.task.id).map((agent) => ({ kind: 'agent' as const, agent }));
      case 'requirements':
        return state.requirements.map((req) => ({ kind: 'requirement' as const, req }));
      case 'changes':
        return this.review ? changesChildren(this.review, node) : [];
      case 'timeline':
      case 'checkpoint':
        return this.timeline ? timelineChildren(this.timeline, node) : [];
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const state = this.live.state;
    switch (node.kind) {
      case 'build': {
        const s = node.state;
        const item = new vscode.TreeItem(`Build ${s.id}`, vscode.TreeItemCollapsibleState.Expanded);
        const status = this.live.statusOf(s);
        const elsewhere = status === RUNNING_ELSEWHERE && this.live.heldElsewhere ? `\n\nRun by ${describeLockHolder(this.live.heldElsewhere)}: **Watch** follows it here.` : '';
        const unsandboxed = s.sandbox && s.sandbox.kind !== 'on' ? ' · ⚠ commands NOT sandboxed' : '';
        item.description = `${status} · iteration ${s.iteration}/${s.options.maxIterations} · ${money(s.usage.costUsd)}${unsandboxed}`;
        item.iconPath = icon(BUILD_ICONS[status] ?? ['debug-pause', 'charts.yellow']);
        item.tooltip = new vscode.MarkdownString(`**${status}**${s.stopReason ? ` — ${s.stopReason}` : ''}${elsewhere}\n\nSpec: \`${s.specPath}\`\n\nModel: ${s.options.model}\n\n${usageLine(s.usage)}${s.sandbox ? `\n\nSandbox: ${s.sandbox.detail}` : ''}`);
        item.contextValue = status === RUNNING_ELSEWHERE ? 'build.elsewhere' : `build.${status}`;
        item.id = `build:${s.id}`;
        return item;
      }
      case 'task': {
        const t = node.task;
        const ts = state?.tasks[t.id];
        const status = ts?.status ?? 'pending';
        const active = this.live.agentsOf(t.id).find((a) => a.step !== 'done' && a.step !== 'failed');
        const item = new vscode.TreeItem(`${t.id} ${t.title}`, this.live.agentsOf(t.id).length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.description = [status, ts?.attempts ? `attempt ${ts.attempts}` : '', active ? `${active.step}${active.detail ? ` ${active.detail}` : ''}` : ''].filter(Boolean).join(' · ');
        item.iconPath = icon(TASK_ICONS[status]);
        const failure = ts?.status === 'failed' && ts.failureHeadline ? `\n\n**Last failure:** ${ts.failureHeadline}` : '';
        const escalated = ts?.escalated ? `\n\n**Escalated:** ${ts.escalated}` : '';
        const reflection = ts?.reflections?.at(-1);
        const lesson = reflection ? `\n\n**Reflection on attempt ${reflection.attempt}** (${reflection.next_action}): ${reflection.root_cause} *Lesson:* ${reflection.lesson}` : '';
        item.tooltip = new vscode.MarkdownString(`**${t.id}: ${t.title}** (${status})\n\n${t.description}\n\nServes: ${t.requirements.join(', ')}${failure}${escalated}${lesson}`);
        item.contextValue = `task.${status}`;
        item.id = `task:${state?.id}:${t.id}`;
        return item;
      }
      case 'agent': {
        const a = node.agent;
        const asking = this.prompts?.list().find((call) => call.request.agentId === a.id)?.request;
        const item = new vscode.TreeItem(a.id, vscode.TreeItemCollapsibleState.None);
        const tokens = a.usage ? a.usage.inputTokens + a.usage.outputTokens + a.usage.cacheReadTokens + a.usage.cacheWriteTokens : 0;
        item.description = [asking ? `waiting for your answer: ${asking.tool} (${asking.server})` : `${a.step}${a.detail ? ` ${a.detail}` : ''}`, a.usage ? `${compact(tokens)} tok` : '', a.usage ? money(a.usage.costUsd) : ''].filter(Boolean).join(' · ');
        item.iconPath = icon(AGENT_ICONS[a.step]);
        item.tooltip = new vscode.MarkdownString(`**${a.id}** (${a.role}${a.taskId ? `, task ${a.taskId}` : ''})\n\nStep: ${a.step}${a.detail ? ` — ${a.detail}` : ''}${a.usage ? `\n\n${usageLine(a.usage)}` : ''}`);
        item.contextValue = a.step === 'done' || a.step === 'failed' ? 'agent' : 'agent.active';
        item.id = `agent:${state?.id}:${a.id}`;
        return item;
      }
      case 'requirements': {
        const reqs = state?.requirements ?? [];
        const item = new vscode.TreeItem('Requirements', vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${reqs.filter((r) => r.verdict === 'verified').length}/${reqs.length} verified`;
        item.iconPath = new vscode.ThemeIcon('checklist');
        item.id = `requirements:${state?.id}`;
        return item;
      }
      case 'requirement': {
        const r = node.req;
        const item = new vscode.TreeItem(`${r.id} ${r.title}`, vscode.TreeItemCollapsibleState.None);
        item.description = r.verdict === 'passed-untraced' ? 'passed, untraced' : r.verdict;
        item.iconPath = icon(VERDICT_ICONS[r.verdict]);
        item.tooltip = new vscode.MarkdownString(`**${r.id}** ${r.verdict}${r.reason ? ` — ${r.reason}` : ''}`);
        item.contextValue = `requirement.${r.verdict}`;
        item.id = `req:${state?.id}:${r.id}`;
        if (state) {
          item.command = {
            command: 'vscode.open',
            title: 'Open in Spec',
            arguments: [vscode.Uri.file(state.specPath), { selection: new vscode.Range(r.range.startLine - 1, 0, r.range.startLine - 1, 0) }],
          };
        }
        return item;
      }
      case 'changes':
      case 'changedFile':
        return this.review ? changesItem(this.review, node) : new vscode.TreeItem('Changes');
      case 'timeline':
      case 'checkpoint':
      case 'checkpointFile':
        return this.timeline ? timelineItem(node, this.timeline.workspaceRoot, state?.id) : new vscode.TreeItem('Timeline');
      case 'mcpServers':
      case 'mcpServer':
      case 'mcpConfigError':
      case 'mcpPrompt':
        return this.mcp ? mcpItem(this.mcp, node) : new vscode.TreeItem('MCP Servers');
      case 'bottleneck':
        return bottleneckItem(node.bottleneck, state?.id);
      case 'error': {
        const item = new vscode.TreeItem('Munero state could not be read', vscode.TreeItemCollapsibleState.None);
        item.description = node.message;
        item.tooltip = node.message;
        item.iconPath = icon(['error', 'testing.iconFailed']);
        item.command = { command: 'munero.openStateFolder', title: 'Open State Folder' };
        return item;
      }
      case 'repaired': {
        const item = new vscode.TreeItem('Munero repaired damaged state', vscode.TreeItemCollapsibleState.None);
        item.description = node.notes.at(-1);
        item.tooltip = node.notes.join('\n\n');
        item.iconPath = icon(['warning', 'list.warningForeground']);
        item.command = { command: 'munero.openStateFolder', title: 'Open State Folder' };
        return item;
      }
    }
  }
}

export function money(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

function compact(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function usageLine(u: UsageTotals): string {
  return `${u.requests} requests · ${u.inputTokens} in · ${u.cacheReadTokens} cache read · ${u.cacheWriteTokens} cache write · ${u.outputTokens} out · ${money(u.costUsd)}`;
}
