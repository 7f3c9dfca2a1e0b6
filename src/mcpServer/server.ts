import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { EngineEnv, McpSettings } from '../core';
import { BuildSession } from './buildSession';
import { forwardEventsAsLogs } from './progress';
import { registerBuildResources } from './resources';
import { registerBuildTools } from './tools';

export interface MuneroMcpOptions {
  workspaceRoot: string;
  /** The user's own key, endpoint and sandbox choice, as the CLI reads them; never from the client. */
  env: EngineEnv;
  /** The MCP servers a build's agents may use, with the CLI's permission rules (`--allow-mcp`). */
  mcp?: McpSettings;
  version?: string;
}

/** Munero as an MCP server: build tools, the current build's resources, build events as logging notifications. */
export function createMuneroMcpServer(options: MuneroMcpOptions): { server: McpServer; session: BuildSession; dispose: () => void } {
  const server = new McpServer(
    { name: 'munero', title: 'Munero', version: options.version ?? '0.1.0' },
    {
      capabilities: { logging: {} },
      instructions:
        'Munero turns a markdown spec into working, tested code. list_specs finds specs, check_spec shows what Munero reads from one, start_build runs a build in the background and returns its id; follow it with build_status (wait_seconds waits and streams progress), list_requirements and get_report.',
    },
  );
  const session = new BuildSession(options.workspaceRoot, options.env, options.mcp);
  registerBuildTools(server, session);
  registerBuildResources(server, session);
  const stopLogs = forwardEventsAsLogs(server, session);
  return { server, session, dispose: stopLogs };
}

/**
 * Serves MCP on stdin/stdout until the client closes stdin (or a signal): stdout carries only MCP
 * frames, notes go to stderr. A build still running then is paused at its next safe point, resumable.
 */
export async function serveStdio(options: MuneroMcpOptions): Promise<void> {
  const { server, session, dispose } = createMuneroMcpServer(options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.connect(transport);
  process.stderr.write(`munero mcp: serving ${session.manager.workspaceRoot} over stdio\n`);
  await closed;
  if (session.cancel('pause')) {
    process.stderr.write('munero mcp: the client left; pausing the running build (resume it with `munero resume` or resume_build)…\n');
    await session.settled(60_000);
  }
  dispose();
  await session.dispose().catch(() => {});
  await server.close().catch(() => {});
}
