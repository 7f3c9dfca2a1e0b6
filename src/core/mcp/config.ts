import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { STATE_DIR } from '../state/workspaceState';

export type Permission = 'allow' | 'ask' | 'deny';
/** Where a server was defined: workspace files are untrusted code until the user allows them. */
export type ServerSource = 'munero' | 'vscode' | 'user' | 'bundled';

export interface McpServerConfig {
  name: string;
  source: ServerSource;
  /** The file (or settings key) that defined it, for messages. */
  origin: string;
  transport: 'stdio' | 'http' | 'sse' | 'in-process';
  /** For `in-process` (the bundled filesystem server): the server, connected over a linked pair. */
  createServer?: () => { connect(transport: import('@modelcontextprotocol/sdk/shared/transport.js').Transport): Promise<void> };
  command?: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  url?: string;
  headers: Record<string, string>;
  /** Per-call timeout. */
  timeoutMs: number;
  disabled: boolean;
  /** Default permission for this server's tools, when set; per-tool overrides in `tools`. */
  permission?: Permission;
  tools: Record<string, Permission>;
}

export class McpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpConfigError';
  }
}

const permission = z.enum(['allow', 'ask', 'deny']);
const stringMap = z.record(z.string(), z.string());
const entrySchema = z
  .object({
    type: z.enum(['stdio', 'http', 'streamableHttp', 'sse']).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    cwd: z.string().optional(),
    url: z.string().url().optional(),
    headers: stringMap.optional(),
    /** Seconds per call. */
    timeout: z.number().positive().optional(),
    disabled: z.boolean().optional(),
    permission: permission.optional(),
    tools: z.record(z.string(), permission).optional(),
  })
  .passthrough()
  .superRefine((e, ctx) => {
    if (!e.command && !e.url) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'needs "command" (stdio) or "url" (http)' });
    if (e.command && e.url) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'has both "command" and "url"; give one' });
  });
type Entry = z.infer<typeof entrySchema>;

export const DEFAULT_CALL_TIMEOUT_S = 60;
export const SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface LoadedServers {
  servers: McpServerConfig[];
  /** Each wrong entry as `file: server "x": field "args": …`; the other servers still load. */
  errors: string[];
}

export interface ExpandContext {
  workspaceRoot: string;
  env?: NodeJS.ProcessEnv;
  /** Values for `${input:id}` (VS Code: what the user entered); absent ones are read from the environment as MUNERO_MCP_INPUT_<ID>. */
  inputs?: Record<string, string>;
}

/**
 * Every configured server: `.munero/mcp.json` over `.vscode/mcp.json` over the user's settings
 * (`munero.mcpServers`, passed in by the adapter). A wrong entry is reported and left out.
 */
export function loadMcpServers(workspaceRoot: string, userServers: unknown = {}, expand: Omit<ExpandContext, 'workspaceRoot'> & { userFile?: string } = {}): LoadedServers {
  const errors: string[] = [];
  const byName = new Map<string, McpServerConfig>();
  const ctx: ExpandContext = { workspaceRoot, ...expand };
  const add = (list: McpServerConfig[]) => list.forEach((s) => byName.set(s.name, s));
  // The CLI's user-level servers live in a file next to the user's config (the editor passes its settings).
  if (expand.userFile) add(readFile(expand.userFile, 'user', ctx, errors));
  add(parseServers(userServers, 'user', 'settings munero.mcpServers', ctx, errors));
  add(readFile(path.join(workspaceRoot, '.vscode', 'mcp.json'), 'vscode', ctx, errors));
  add(readFile(path.join(workspaceRoot, STATE_DIR, 'mcp.json'), 'munero', ctx, errors));
  return { servers: [...byName.values()], errors };
}

function readFile(file: string, source: ServerSource, ctx: ExpandContext, errors: string[]): McpServerConfig[] {
  if (!fs.existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    errors.push(`${file}: not valid JSON: ${(err as Error).message}`);
    return [];
  }
  if (!data || typeof data !== 'object') {
    errors.push(`${file}: must be an object with "mcpServers" (or "servers")`);
    return [];
  }
  const doc = data as { mcpServers?: unknown; servers?: unknown; inputs?: unknown };
  const servers = doc.mcpServers ?? doc.servers;
  if (servers === undefined) {
    errors.push(`${file}: has no "mcpServers" (or "servers") object`);
    return [];
  }
  return parseServers(servers, source, file, ctx, errors);
}

/** The `mcpServers` map (user settings or a file's): each entry checked, expanded and normalised. */
export function parseServers(servers: unknown, source: ServerSource, origin: string, ctx: ExpandContext, errors: string[]): McpServerConfig[] {
  if (servers === undefined || servers === null) return [];
  if (typeof servers !== 'object' || Array.isArray(servers)) {
    errors.push(`${origin}: the servers must be an object keyed by server name`);
    return [];
  }
  const out: McpServerConfig[] = [];
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    const where = `${origin}: server "${name}"`;
    if (!SERVER_NAME.test(name)) {
      errors.push(`${where}: the name may use only letters, digits, ".", "_" and "-" (at most 64)`);
      continue;
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(...parsed.error.issues.map((i) => `${where}: ${i.path.length ? `field "${i.path.join('.')}"` : 'entry'} ${i.message}`));
      continue;
    }
    try {
      out.push(normalise(name, parsed.data, source, origin, ctx));
    } catch (err) {
      errors.push(`${where}: ${(err as Error).message}`);
    }
  }
  return out;
}

function normalise(name: string, e: Entry, source: ServerSource, origin: string, ctx: ExpandContext): McpServerConfig {
  const x = (value: string, field: string) => expandVariables(value, field, ctx);
  const map = (m: Record<string, string> | undefined, field: string) =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, x(v, `${field}.${k}`)]));
  const transport = e.command ? 'stdio' : e.type === 'sse' ? 'sse' : 'http';
  if (e.type === 'stdio' && !e.command) throw new Error('field "command" is required for type "stdio"');
  return {
    name,
    source,
    origin,
    transport,
    command: e.command && x(e.command, 'command'),
    args: (e.args ?? []).map((a, i) => x(a, `args.${i}`)),
    env: map(e.env, 'env'),
    cwd: e.cwd ? path.resolve(ctx.workspaceRoot, x(e.cwd, 'cwd')) : undefined,
    url: e.url && x(e.url, 'url'),
    headers: map(e.headers, 'headers'),
    timeoutMs: (e.timeout ?? DEFAULT_CALL_TIMEOUT_S) * 1000,
    disabled: e.disabled ?? false,
    permission: e.permission,
    tools: e.tools ?? {},
  };
}

/** `${workspaceFolder}`, `${env:NAME}`, `${input:id}`; an unknown variable is an error naming the field. */
export function expandVariables(value: string, field: string, ctx: ExpandContext): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, v: string) => {
    if (v === 'workspaceFolder' || v === 'workspaceRoot') return ctx.workspaceRoot;
    if (v === 'userHome') return (ctx.env ?? process.env).HOME ?? '';
    if (v.startsWith('env:')) return (ctx.env ?? process.env)[v.slice(4)] ?? '';
    if (v.startsWith('input:')) {
      const id = v.slice(6);
      const given = ctx.inputs?.[id] ?? (ctx.env ?? process.env)[`MUNERO_MCP_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
      if (given === undefined) throw new Error(`field "${field}" uses ${whole}, which has no value (set MUNERO_MCP_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')})`);
      return given;
    }
    throw new Error(`field "${field}" uses unknown variable ${whole}`);
  });
}

/** `.vscode/mcp.json` is JSONC: drops // and /* comments and trailing commas outside strings. */
function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
