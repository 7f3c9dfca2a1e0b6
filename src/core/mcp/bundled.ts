import fs from 'node:fs';
import path from 'node:path';
import { STATE_DIR } from '../state/workspaceState';
import type { McpServerConfig } from './config';
import { createFilesystemServer } from './filesystemServer';

export type BundledServerName = 'memory' | 'sequential-thinking' | 'filesystem';
export const BUNDLED_SERVERS: BundledServerName[] = ['memory', 'sequential-thinking', 'filesystem'];

export interface BundledOptions {
  /** Folder holding memory.mjs and sequential-thinking.mjs (dist/mcp); default next to this bundle, else node_modules. */
  dir?: string;
  /** The runtime to start them with: the editor's own (process.execPath with ELECTRON_RUN_AS_NODE=1). */
  runtime?: string;
  /** `munero.mcp.bundled.<name>`: false turns one off. */
  enabled?: Partial<Record<BundledServerName, boolean>>;
}

/**
 * The three servers Munero ships, which work with no network. memory and sequential-thinking are
 * the reference servers from npm, bundled into one file each and run as children; their tools
 * write only `.munero/memory.json`, so they are allowed without asking. filesystem is in-process
 * (see filesystemServer.ts); its writes are proposed changes, so they ask like any write.
 */
export function bundledServers(workspaceRoot: string, opts: BundledOptions = {}): McpServerConfig[] {
  const enabled = (name: BundledServerName) => opts.enabled?.[name] !== false;
  const runtime = opts.runtime ?? process.execPath;
  const base = { source: 'bundled' as const, origin: 'bundled with Munero', args: [], env: {}, headers: {}, timeoutMs: 60_000, disabled: false, tools: {} };
  const child = (name: 'memory' | 'sequential-thinking', env: Record<string, string>): McpServerConfig => ({
    ...base,
    name,
    transport: 'stdio',
    command: runtime,
    args: [serverScript(name, opts.dir)],
    env: { ELECTRON_RUN_AS_NODE: '1', ...env },
    cwd: workspaceRoot,
    permission: 'allow',
  });
  const out: McpServerConfig[] = [];
  if (enabled('memory')) out.push(child('memory', { MEMORY_FILE_PATH: path.join(workspaceRoot, STATE_DIR, 'memory.json') }));
  if (enabled('sequential-thinking')) out.push(child('sequential-thinking', { DISABLE_THOUGHT_LOGGING: 'true' }));
  if (enabled('filesystem')) out.push({ ...base, name: 'filesystem', transport: 'in-process', createServer: createFilesystemServer });
  return out;
}

function serverScript(name: 'memory' | 'sequential-thinking', dir?: string): string {
  const shipped = path.join(dir ?? path.join(__dirname, 'mcp'), `${name}.mjs`);
  if (dir || fs.existsSync(shipped)) return shipped;
  // Running from source (tests, tsx): the package itself.
  return require.resolve(`@modelcontextprotocol/server-${name}/dist/index.js`);
}
