import Ajv, { type ValidateFunction } from 'ajv';
import { describeErrors } from '../tools/executeTool';
import type { ToolContext, ToolDefinition, ToolOutcome } from '../tools/types';
import { CALL_CONTEXT_META, withCallContext } from './filesystemServer';
import type { McpServerConfig, Permission } from './config';
import { McpConnection, type RemoteTool, type ServerStatus } from './connection';
import { allowedByRules, toolPermission } from './permissions';
import { resultText } from './resultText';
import { API_TOOL_NAME, bridgedToolName } from './toolNames';

export interface PermissionRequest {
  server: string;
  tool: string;
  bridgedName: string;
  input: unknown;
  agentId?: string;
  taskId?: string;
  /** Aborted when the agent is cancelled: a prompt still open is then answered "no". */
  signal?: AbortSignal;
}

export interface McpCaller {
  agentId?: string;
  taskId?: string;
  signal?: AbortSignal;
  /** The calling agent's tool context (its change sink), for the in-process filesystem server. */
  toolContext?: ToolContext;
}

export interface McpHubOptions {
  servers: McpServerConfig[];
  logDir: string;
  /** Workspace servers start only in a trusted workspace… */
  trusted: boolean;
  /** …and only once the user allowed that server (remembered per workspace). */
  isAllowed: (server: McpServerConfig) => boolean;
  /** `ask` in VS Code: a prompt tied to the agent. Absent (the CLI): ask is deny unless `allowRules` allow it. */
  ask?: (request: PermissionRequest) => Promise<boolean>;
  /** `--allow-mcp SERVER[:TOOL]`. */
  allowRules?: string[];
  onStatus?: (status: ServerStatus) => void;
  connectTimeoutMs?: number;
  /** Running connections of the hub this one replaces, to keep for servers whose settings did not change. */
  reuse?: ReadonlyMap<string, McpConnection>;
}

interface BridgedTool {
  server: McpConnection;
  remote: RemoteTool;
  definition: ToolDefinition;
  validate: ValidateFunction;
  permission: Permission;
}

const MAX_DESCRIPTION = 1024;

/** The agents' MCP servers: which may start, their tools under API-safe names, and every call's permission, timeout and result. */
export class McpHub {
  private readonly connections = new Map<string, McpConnection>();
  private readonly blocked = new Map<string, { why: string; by: NonNullable<ServerStatus['blockedBy']> }>();
  private bridged = new Map<string, BridgedTool>();
  /** Problems found while bridging (a schema the API would reject), by server. */
  private readonly problems = new Map<string, string[]>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false });

  constructor(private readonly opts: McpHubOptions) {
    for (const server of opts.servers) {
      const blocked = this.whyBlocked(server);
      if (blocked) this.blocked.set(server.name, blocked);
      else this.connections.set(server.name, opts.reuse?.get(server.name) ?? new McpConnection(server, { logDir: opts.logDir, onChange: opts.onStatus, connectTimeoutMs: opts.connectTimeoutMs }));
    }
  }

  statuses(): ServerStatus[] {
    const out = [...this.connections.values()].map((c) => {
      const s = c.status();
      const problems = this.problems.get(s.name);
      return problems?.length && !s.lastError ? { ...s, lastError: problems.join('; ') } : s;
    });
    for (const server of this.opts.servers) {
      const blocked = this.blocked.get(server.name);
      if (blocked) out.push({ name: server.name, source: server.source, transport: server.transport, state: 'stopped', tools: 0, lastError: blocked.why, logFile: '', blockedBy: blocked.by });
    }
    return out;
  }

  connection(name: string): McpConnection | undefined {
    return this.connections.get(name);
  }

  /**
   * The tools of the named servers (all when `only` is absent), starting them if needed. A server
   * that fails to start is left out and reported through its status and the returned errors.
   */
  async toolsFor(only?: readonly string[]): Promise<{ tools: ToolDefinition[]; errors: string[] }> {
    const errors: string[] = [];
    const wanted = [...this.connections.values()].filter((c) => !only || only.includes(c.config.name));
    await Promise.all(wanted.map((c) => c.listTools().catch((err) => errors.push((err as Error).message))));
    this.rebridge();
    const names = new Set(wanted.map((c) => c.config.name));
    const tools = [...this.bridged.values()].filter((b) => names.has(b.server.config.name) && b.permission !== 'deny').map((b) => b.definition);
    for (const name of names) errors.push(...(this.problems.get(name) ?? []));
    return { tools, errors };
  }

  isMcpTool(name: string): boolean {
    return name.startsWith('mcp__');
  }

  /** One call: permission, input check, the server's own timeout, the result as text. Never throws except on abort. */
  async call(name: string, input: unknown, caller: McpCaller = {}): Promise<ToolOutcome> {
    const tool = this.bridged.get(name);
    if (!tool) return { ok: false, error: `Unknown MCP tool "${name}". Known: ${[...this.bridged.keys()].join(', ') || 'none'}.` };
    const server = tool.server.config.name;
    const allowed = await this.permit(tool, input, caller);
    if (allowed !== true) return { ok: false, error: allowed };
    if (!tool.validate(input)) return { ok: false, error: `Invalid input for ${name}: ${describeErrors(tool.validate.errors ?? [])}` };
    try {
      const args = (input ?? {}) as Record<string, unknown>;
      // The in-process filesystem server acts for the calling agent: its writes go to that agent's changes.
      const result = await withCallContext(tool.server.config.transport === 'in-process' ? caller.toolContext : undefined, (id) =>
        tool.server.callTool(tool.remote.name, args, caller.signal, id ? { [CALL_CONTEXT_META]: id } : undefined),
      );
      const text = resultText(result);
      return result.isError ? { ok: false, error: `MCP server "${server}": ${text || 'the tool reported an error'}` } : { ok: true, content: text };
    } catch (err) {
      if (caller.signal?.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
      return { ok: false, error: (err as Error).message };
    }
  }

  /** Stops the servers, but those `successor` took over. */
  async dispose(successor?: McpHub): Promise<void> {
    const kept = new Set(successor?.connections.values());
    await Promise.all([...this.connections.values()].filter((c) => !kept.has(c)).map((c) => c.stop()));
  }

  private async permit(tool: BridgedTool, input: unknown, caller: McpCaller): Promise<true | string> {
    const server = tool.server.config.name;
    const remote = tool.remote.name;
    if (tool.permission === 'allow') return true;
    if (tool.permission === 'deny') return `MCP tool ${server}:${remote} is denied by the settings of server "${server}".`;
    if (allowedByRules(this.opts.allowRules ?? [], server, remote)) return true;
    if (!this.opts.ask) return `MCP tool ${server}:${remote} needs the user's permission (it is not marked read-only); the user did not allow it (munero build --allow-mcp ${server}:${remote}).`;
    const yes = await this.opts.ask({ server, tool: remote, bridgedName: tool.definition.name, input, agentId: caller.agentId, taskId: caller.taskId, signal: caller.signal });
    return yes ? true : `The user declined MCP tool ${server}:${remote}.`;
  }

  private whyBlocked(server: McpServerConfig): { why: string; by: NonNullable<ServerStatus['blockedBy']> } | undefined {
    if (server.disabled) return { why: 'disabled in its settings', by: 'settings' };
    if (server.source !== 'munero' && server.source !== 'vscode') return undefined;
    if (!this.opts.trusted) return { why: `defined in ${server.origin}, and the workspace is not trusted`, by: 'trust' };
    if (!this.opts.isAllowed(server)) return { why: `defined in ${server.origin}: not started until you allow it (munero mcp allow ${server.name}, or Allow in the MCP Servers view)`, by: 'allow' };
    return undefined;
  }

  /** Names are stable: the same server and tool get the same name whatever else is listed. */
  private rebridge(): void {
    const bridged = new Map<string, BridgedTool>();
    const taken = new Set<string>();
    for (const conn of this.connections.values()) {
      const problems: string[] = [];
      for (const remote of conn.cachedTools()) {
        const name = bridgedToolName(conn.config.name, remote.name, taken);
        const schema = checkedSchema(remote.inputSchema);
        if (typeof schema === 'string') {
          problems.push(`tool "${remote.name}" left out: ${schema}`);
          continue;
        }
        let validate: ValidateFunction;
        try {
          validate = this.ajv.compile(schema);
        } catch (err) {
          problems.push(`tool "${remote.name}" left out: its input schema does not compile (${(err as Error).message})`);
          continue;
        }
        if (!API_TOOL_NAME.test(name)) continue;
        taken.add(name);
        const description = `[MCP ${conn.config.name}] ${remote.description ?? remote.annotations?.title ?? remote.name}`.slice(0, MAX_DESCRIPTION);
        bridged.set(name, { server: conn, remote, validate, permission: toolPermission(conn.config, remote), definition: { name, description, input_schema: schema } });
      }
      this.problems.set(conn.config.name, problems);
    }
    this.bridged = bridged;
  }
}

/** The schema as the API takes it (`type: "object"` at the top, no `$schema`), or why it cannot be offered. */
function checkedSchema(schema: Record<string, unknown> | undefined): ToolDefinition['input_schema'] | string {
  if (!schema || typeof schema !== 'object') return 'it has no input schema';
  const { $schema: _ignored, ...rest } = schema;
  if (rest.type !== 'object') return `its input schema has type ${JSON.stringify(rest.type)}, and the API takes only "object"`;
  if (JSON.stringify(rest).length > 50_000) return 'its input schema is over 50,000 characters';
  return { properties: {}, ...rest } as ToolDefinition['input_schema'];
}
