import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { McpServerConfig } from '../../../src/core/mcp/config';

export const SERVERS_DIR = path.join(__dirname, 'servers');

/** A stdio server config for one of the toy servers, as the user's settings would give it. */
export function toyServer(name: string, mode: string, extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    name,
    source: 'user',
    origin: 'test',
    transport: 'stdio',
    command: process.execPath,
    args: [path.join(SERVERS_DIR, 'toyServer.mjs'), mode],
    env: {},
    headers: {},
    timeoutMs: 10_000,
    disabled: false,
    tools: {},
    ...extra,
  };
}

/** Starts the HTTP toy server ("sse" for the old transport only) and resolves with its port. */
export async function startHttpServer(mode = 'streamable'): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(SERVERS_DIR, 'httpServer.mjs'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`http server exited ${code}`)));
  });
  return { port, child };
}
