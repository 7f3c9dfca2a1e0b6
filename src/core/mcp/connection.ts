import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { commandEnv } from '../tools/commandEnv';
import type { McpServerConfig } from './config';

export type ServerState = 'stopped' | 'starting' | 'ready' | 'failed';

export interface RemoteTool {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; title?: string };
}

export interface ServerStatus {
  name: string;
  source: McpServerConfig['source'];
  transport: McpServerConfig['transport'];
  state: ServerState;
  tools: number;
  lastError?: string;
  logFile: string;
  /** Why a server that may not start is stopped: its settings, an untrusted workspace, or no Allow yet. */
  blockedBy?: 'settings' | 'trust' | 'allow';
}

export interface ConnectionOptions {
  logDir: string;
  connectTimeoutMs?: number;
  /** Restart after a crash: 1 s, 2 s, 4 s … up to this; gives up after 5 crashes in 5 minutes. */
  maxBackoffMs?: number;
  onChange?: (status: ServerStatus) => void;
}

const LOOSE_TOOL_LIST = z.object({ tools: z.array(z.any()), nextCursor: z.string().optional() }).passthrough();
const FAILED_START_RETRY_MS = 15_000;
const CRASH_WINDOW_MS = 5 * 60_000;
const MAX_CRASHES = 5;
const STDERR_TAIL = 2000;

/** One MCP server: started on first need, its tools listed once (and again on list_changed), restarted with backoff after a crash. */
export class McpConnection {
  private client?: Client;
  private starting?: Promise<Client>;
  private tools: RemoteTool[] = [];
  private state: ServerState = 'stopped';
  private lastError?: string;
  private stderrTail = '';
  private crashes: number[] = [];
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;
  /** A failed start is not retried by every agent at once: the next try waits this long. */
  private failedStart?: { at: number; error: Error };
  readonly logFile: string;

  constructor(readonly config: McpServerConfig, private readonly opts: ConnectionOptions) {
    this.logFile = path.join(opts.logDir, `mcp-${config.name}.log`);
  }

  status(): ServerStatus {
    const c = this.config;
    return { name: c.name, source: c.source, transport: c.transport, state: this.state, tools: this.tools.length, lastError: this.lastError, logFile: this.logFile };
  }

  /** The server's tools, starting it if needed. Throws a message naming the server, the command and its stderr. */
  async listTools(): Promise<RemoteTool[]> {
    await this.ready();
    return this.tools;
  }

  /** The tool list from the last listing, without starting the server. */
  cachedTools(): RemoteTool[] {
    return this.client ? this.tools : [];
  }

  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal, meta?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const client = await this.ready();
    const timeout = this.config.timeoutMs;
    try {
      return (await client.callTool({ name, arguments: args, ...(meta ? { _meta: meta } : {}) }, undefined, { timeout, signal, resetTimeoutOnProgress: true, maxTotalTimeout: timeout * 10 })) as Record<string, unknown>;
    } catch (err) {
      if (signal?.aborted) throw err;
      if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
        throw new Error(`MCP server "${this.config.name}": ${name} timed out after ${timeout / 1000} s (set "timeout" in seconds for this server to allow longer)`);
      }
      throw new Error(`MCP server "${this.config.name}": ${name} failed: ${(err as Error).message}${this.tail()}`);
    }
  }

  /** Starts (or reuses) the connection. */
  ready(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.failedStart && Date.now() - this.failedStart.at < FAILED_START_RETRY_MS) return Promise.reject(this.failedStart.error);
    this.stopped = false;
    clearTimeout(this.restartTimer);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.crashes = [];
    this.failedStart = undefined;
    await this.ready();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const client = this.client;
    this.client = undefined;
    this.set('stopped');
    await client?.close().catch(() => undefined);
  }

  private async start(): Promise<Client> {
    this.set('starting');
    this.stderrTail = '';
    try {
      const client = await this.connect();
      this.client = client;
      await this.refreshTools();
      this.lastError = undefined;
      this.failedStart = undefined;
      this.set('ready');
      return client;
    } catch (err) {
      this.lastError = `${(err as Error).message}${this.tail()}`;
      this.log(`start failed: ${this.lastError}`);
      this.set('failed');
      const error = new Error(`MCP server "${this.config.name}" (${this.describe()}) did not start: ${this.lastError}`);
      this.failedStart = { at: Date.now(), error };
      throw error;
    }
  }

  private async connect(): Promise<Client> {
    const c = this.config;
    if (c.transport === 'in-process') {
      const [client, server] = InMemoryTransport.createLinkedPair();
      await c.createServer!().connect(server);
      return this.connectWith(client);
    }
    if (c.transport !== 'stdio') {
      try {
        return await this.connectWith(c.transport === 'sse' ? this.sse() : this.streamableHttp());
      } catch (err) {
        if (c.transport === 'sse') throw err;
        this.log(`Streamable HTTP failed (${(err as Error).message}); trying SSE`);
        return this.connectWith(this.sse());
      }
    }
    const transport = new StdioClientTransport({
      command: c.command!,
      args: c.args,
      // An allowlisted environment plus the server's own: never the API key.
      env: commandEnv({ set: c.env }),
      cwd: c.cwd,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk.toString('utf8')));
    return this.connectWith(transport);
  }

  private async connectWith(transport: Transport): Promise<Client> {
    const client = new Client({ name: 'munero', version: '0.1.0' }, { capabilities: {} });
    client.onclose = () => this.onClosed(client);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.refreshTools().catch((err) => this.log(`tools/list after list_changed failed: ${(err as Error).message}`));
    });
    const timeout = this.opts.connectTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(transport, { timeout }),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to initialize within ${timeout / 1000} s`)), timeout))),
      ]);
    } catch (err) {
      client.onclose = undefined;
      await client.close().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return client;
  }

  private streamableHttp(): Transport {
    const c = this.config;
    // SDK 1.x tolerates only a 405 on the optional GET stream; many servers answer 404.
    const fetch404as405: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      return init?.method === 'GET' && res.status === 404 ? new Response(null, { status: 405 }) : res;
    };
    return new StreamableHTTPClientTransport(new URL(c.url!), { requestInit: { headers: c.headers }, fetch: fetch404as405 });
  }

  private sse(): Transport {
    const c = this.config;
    return new SSEClientTransport(new URL(c.url!), { requestInit: { headers: c.headers }, eventSourceInit: { fetch: (u, i) => fetch(u, { ...i, headers: { ...(i?.headers as Record<string, string>), ...c.headers } }) } });
  }

  private async refreshTools(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const tools: RemoteTool[] = [];
    let cursor: string | undefined;
    do {
      // Loosely parsed: one tool with a schema the SDK rejects must not hide the others (the hub checks each).
      const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, LOOSE_TOOL_LIST, { timeout: this.config.timeoutMs });
      tools.push(...page.tools.filter((t): t is RemoteTool => !!t && typeof (t as RemoteTool).name === 'string'));
      cursor = page.nextCursor;
    } while (cursor && tools.length < 1000);
    this.tools = tools;
    this.emit();
  }

  private onClosed(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.stopped) return;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    this.lastError = `the server exited or dropped the connection${this.tail()}`;
    this.log(this.lastError);
    this.set('failed');
    if (this.crashes.length >= MAX_CRASHES) {
      this.lastError = `${this.lastError} (${MAX_CRASHES} crashes in 5 minutes: not restarted; use Restart)`;
      this.emit();
      return;
    }
    const delay = Math.min(1000 * 2 ** (this.crashes.length - 1), this.opts.maxBackoffMs ?? 30_000);
    this.restartTimer = setTimeout(() => this.ready().catch(() => undefined), delay);
    this.restartTimer.unref?.();
  }

  private onStderr(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
    this.log(text.trimEnd(), 'stderr');
  }

  private log(line: string, kind = 'munero'): void {
    try {
      fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
      fs.appendFileSync(this.logFile, `${new Date().toISOString()} [${kind}] ${line}\n`);
    } catch {
      // A log that cannot be written must not stop the server.
    }
  }

  private tail(): string {
    const t = this.stderrTail.trim();
    return t ? `\nstderr (last lines):\n${t.split('\n').slice(-8).join('\n')}` : '';
  }

  private describe(): string {
    const c = this.config;
    if (c.transport === 'in-process') return 'in-process';
    return c.transport === 'stdio' ? [c.command, ...c.args].join(' ') : `${c.transport} ${c.url}`;
  }

  private set(state: ServerState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.opts.onChange?.(this.status());
  }
}
