import type Anthropic from '@anthropic-ai/sdk';
import type { RoleDefinition } from '../agents/registry';
import type { ToolHandled } from '../agents/runAgent';
import { capText } from '../tools/capText';
import type { ToolDefinition, ToolOutcome } from '../tools/types';
import { toolContext, type RunContext } from './context';

/**
 * MCP tools reach an agent two ways. Servers its role lists in `.munero/agents.json`
 * (`mcpServers`) are offered directly, one definition per tool. Otherwise, for roles that write
 * code, every server is offered on demand through two small fixed tools, `mcp_tools` (find tools
 * and their schemas) and `mcp_call` (call one), so tool definitions the agent may never use do not
 * weigh on every request and the prompt-cache prefix stays the same across turns. The planner,
 * reviewer and reflector get none unless their role lists servers.
 */
export interface McpAccess {
  servers: string[];
  direct: boolean;
}

export const MCP_TOOLS: ToolDefinition = {
  name: 'mcp_tools',
  description:
    'Find tools of the MCP servers available to you (memory: a knowledge graph kept with the workspace; ' +
    'sequential-thinking; and the user\'s servers). Returns each matching tool\'s name, description and input schema; ' +
    'call one with mcp_call.',
  input_schema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'Words to match in tool names and descriptions; empty lists every tool, briefly.' },
      server: { type: 'string', description: 'Only this server\'s tools.' },
    },
    additionalProperties: false,
  },
};

export const MCP_CALL: ToolDefinition = {
  name: 'mcp_call',
  description: 'Call an MCP tool found with mcp_tools, by its name (mcp__<server>__<tool>), with arguments matching its input schema.',
  input_schema: {
    type: 'object',
    properties: {
      tool: { type: 'string', minLength: 1, description: 'The tool name, e.g. mcp__memory__search_nodes.' },
      arguments: { type: 'object', description: 'The tool\'s input.' },
    },
    required: ['tool'],
    additionalProperties: false,
  },
};

export function mcpAccessFor(role: RoleDefinition, all: readonly string[]): McpAccess {
  if (role.mcpServers) return { servers: role.mcpServers.filter((s) => all.includes(s)), direct: true };
  const writes = role.tools.some((t) => t.name === 'write_file');
  return { servers: writes ? all.filter((s) => s !== 'filesystem') : [], direct: false };
}

/** The role's tools plus its MCP access (servers started now if this is the first need); servers that fail are reported, not fatal. */
export async function toolsWithMcp(ctx: RunContext, role: RoleDefinition, agentId: string): Promise<{ tools: ToolDefinition[]; access: McpAccess }> {
  const hub = ctx.mcp;
  const access = hub ? mcpAccessFor(role, hub.statuses().map((s) => s.name)) : { servers: [], direct: true };
  if (!hub || access.servers.length === 0) return { tools: role.tools, access };
  const { tools, errors } = await hub.toolsFor(access.servers);
  for (const error of errors) ctx.bus.emit({ type: 'log', level: 'warn', message: `${agentId} goes without some MCP tools: ${error}` });
  if (tools.length === 0) return { tools: role.tools, access };
  return { tools: access.direct ? [...role.tools, ...tools] : [...role.tools, MCP_TOOLS, MCP_CALL], access };
}

/** An MCP call for an agent: permission, the server's timeout, the result capped like any tool result. Undefined when not an MCP tool. */
export async function callMcpTool(ctx: RunContext, call: Anthropic.ToolUseBlockParam, origin: { agentId: string; taskId?: string; toolUseId?: string }, access: McpAccess): Promise<ToolHandled<never> | undefined> {
  const hub = ctx.mcp;
  if (!hub) return undefined;
  const max = ctx.toolLimits.maxResultChars;
  const capped = (o: ToolOutcome): ToolHandled<never> => ({ outcome: o.ok ? { ok: true, content: capText(o.content, max) } : { ok: false, error: capText(o.error, max) } });
  const input = (call.input ?? {}) as Record<string, unknown>;
  if (call.name === MCP_TOOLS.name) return capped(await findTools(ctx, access, input));
  let name = call.name;
  let args: unknown = call.input;
  if (call.name === MCP_CALL.name) {
    name = String(input.tool ?? '');
    args = input.arguments ?? {};
  } else if (!hub.isMcpTool(call.name)) return undefined;
  const server = access.servers.find((s) => name.startsWith(`mcp__${s.replace(/[^a-zA-Z0-9_-]/g, '_')}__`));
  if (!server) return capped({ ok: false, error: `MCP tool "${name}" is not available to this agent (its servers: ${access.servers.join(', ') || 'none'}). Use mcp_tools to find tools.` });
  const signal = ctx.agents.signalFor(origin.agentId, ctx.signal);
  return capped(await hub.call(name, args, { agentId: origin.agentId, taskId: origin.taskId, signal, toolContext: toolContext(ctx, origin, signal) }));
}

async function findTools(ctx: RunContext, access: McpAccess, input: Record<string, unknown>): Promise<ToolOutcome> {
  const servers = typeof input.server === 'string' ? access.servers.filter((s) => s === input.server) : access.servers;
  const { tools } = await ctx.mcp!.toolsFor(servers);
  const words = String(input.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const found = tools.filter((t) => words.every((w) => `${t.name} ${t.description}`.toLowerCase().includes(w)));
  if (found.length === 0) return { ok: true, content: `No MCP tool matches. Servers: ${access.servers.join(', ')}. Tools: ${tools.map((t) => t.name).join(', ')}` };
  if (words.length === 0 && found.length > 8) return { ok: true, content: found.map((t) => `${t.name}: ${t.description.split('\n', 1)[0].slice(0, 160)}`).join('\n') };
  return { ok: true, content: found.map((t) => `${t.name}\n${t.description}\ninput_schema: ${JSON.stringify(t.input_schema)}`).join('\n\n') };
}
