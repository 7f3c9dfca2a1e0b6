import path from 'node:path';
import type { EventBus } from '../events/bus';
import { userConfigFile } from '../build/userConfig';
import { STATE_DIR } from '../state/workspaceState';
import { AllowedServers, fingerprint } from './allowedServers';
import { bundledServers, type BundledOptions } from './bundled';
import { loadMcpServers, type McpServerConfig } from './config';
import type { McpConnection, ServerStatus } from './connection';
import { McpHub, type PermissionRequest } from './hub';

/** What the adapter gives: the user's own settings and how to ask. Never read from a workspace file. */
export interface McpSettings {
  /** `munero.mcpServers` from the user's settings. */
  userServers?: unknown;
  /** VS Code's workspace trust; the CLI counts the folder it was started in as trusted. Default true. */
  trusted?: boolean;
  /** `--allow-mcp SERVER[:TOOL]`. */
  allowRules?: string[];
  /** VS Code: a prompt tied to the agent. Absent: `ask` is deny unless allowRules allow it. */
  ask?: (request: PermissionRequest) => Promise<boolean>;
  bundled?: BundledOptions;
  /** Values for `${input:id}`. */
  inputs?: Record<string, string>;
  /** Where allowed workspace servers are remembered; default next to the user's config file. */
  allowedFile?: string;
}

/** The CLI's user-level servers: `mcp.json` next to the user's config file (`mcpServers`, the common shape). */
function serverKey(c: McpServerConfig): string {
  return JSON.stringify([c.name, c.source, c.transport, fingerprint(c), c.permission, c.tools, c.timeoutMs, c.disabled]);
}

export function userMcpFile(): string {
  return path.join(path.dirname(userConfigFile()), 'mcp.json');
}

/**
 * A workspace's MCP servers across builds: the configuration re-read when asked for and the hub
 * rebuilt only when it changed, so running servers stay up between builds.
 */
export class WorkspaceMcp {
  private current?: { hub: McpHub; key: string; errors: string[]; servers: McpServerConfig[] };
  private readonly allowed: AllowedServers;

  constructor(private readonly workspaceRoot: string, private readonly settings: () => McpSettings, private readonly bus?: EventBus) {
    this.allowed = new AllowedServers(settings().allowedFile ?? path.join(path.dirname(userConfigFile()), 'mcp-allowed.json'), workspaceRoot);
  }

  /** The hub for the current configuration (servers start only when a build asks for their tools). */
  hub(): McpHub {
    const s = this.settings();
    const userFile = s.userServers === undefined ? userMcpFile() : undefined;
    const { servers, errors } = loadMcpServers(this.workspaceRoot, s.userServers, { inputs: s.inputs, userFile });
    const all = [...bundledServers(this.workspaceRoot, s.bundled).filter((b) => !servers.some((c) => c.name === b.name)), ...servers];
    const key = JSON.stringify([all.map((c) => [serverKey(c), this.allowed.isAllowed(c)]), s.trusted, s.allowRules]);
    if (this.current?.key === key) return this.current.hub;
    // Servers whose own settings did not change keep running: allowing one server does not restart the others.
    const previous = this.current?.hub;
    const reuse = new Map<string, McpConnection>();
    for (const c of all) {
      const running = previous?.connection(c.name);
      if (running && serverKey(running.config) === serverKey(c)) reuse.set(c.name, running);
    }
    const hub = new McpHub({
      reuse,
      servers: all,
      logDir: path.join(this.workspaceRoot, STATE_DIR, 'logs'),
      trusted: s.trusted ?? true,
      isAllowed: (c) => this.allowed.isAllowed(c),
      ask: s.ask,
      allowRules: s.allowRules,
      onStatus: (st) => this.bus?.emit({ type: 'mcp.server', server: st.name, state: st.state, tools: st.tools, error: st.lastError }),
    });
    void previous?.dispose(hub);
    this.current = { hub, key, errors, servers: all };
    for (const error of errors) this.bus?.emit({ type: 'log', level: 'error', message: `MCP configuration: ${error}` });
    return hub;
  }

  /** Wrong entries in the configuration, by file, server and field. */
  configErrors(): string[] {
    this.hub();
    return this.current?.errors ?? [];
  }

  statuses(): ServerStatus[] {
    return this.hub().statuses();
  }

  /** Starts every server that may start and lists its tools (for `munero mcp list` and the tree's refresh). */
  async probe(): Promise<ServerStatus[]> {
    const hub = this.hub();
    await hub.toolsFor();
    return hub.statuses();
  }

  /** The user allows a workspace server once; remembered for this workspace until its command changes. */
  allow(name: string): McpServerConfig {
    this.hub();
    const server = this.current?.servers.find((c) => c.name === name);
    if (!server) throw new Error(`No MCP server "${name}" is configured (known: ${this.current?.servers.map((c) => c.name).join(', ') || 'none'})`);
    this.allowed.allow(server);
    return server;
  }

  async restart(name: string): Promise<void> {
    await this.hub().connection(name)?.restart();
  }

  async stop(name: string): Promise<void> {
    await this.hub().connection(name)?.stop();
  }

  async dispose(): Promise<void> {
    await this.current?.hub.dispose();
    this.current = undefined;
  }
}
