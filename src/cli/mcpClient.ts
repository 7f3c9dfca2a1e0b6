import { plural, type BuildManager, type McpServerStatus } from '../core';

/** `munero mcp list`: every configured server started and listed, with its state, tool count and last error. Exit 1 when one failed. */
export async function mcpListCommand(manager: BuildManager, json: boolean): Promise<number> {
  const errors = manager.mcp.configErrors();
  let statuses: McpServerStatus[];
  try {
    statuses = await manager.mcp.probe();
  } finally {
    await manager.mcp.dispose();
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ servers: statuses, configErrors: errors })}\n`);
  } else {
    for (const e of errors) process.stdout.write(`config error: ${e}\n`);
    if (statuses.length === 0) process.stdout.write('No MCP servers.\n');
    const width = Math.max(6, ...statuses.map((s) => s.name.length));
    for (const s of statuses) {
      const line = `${s.name.padEnd(width)}  ${s.state.padEnd(8)}  ${plural(s.tools, 'tool').padStart(9)}  ${s.source}${s.lastError ? `  ${firstLine(s.lastError)}` : ''}`;
      process.stdout.write(`${line}\n`);
      if (s.state === 'failed' && s.logFile) process.stdout.write(`${' '.repeat(width + 2)}log: ${s.logFile}\n`);
    }
  }
  return errors.length || statuses.some((s) => s.state === 'failed') ? 1 : 0;
}

/** `munero mcp allow NAME`: the user allows a server from a workspace file, remembered for this workspace. */
export function mcpAllowCommand(manager: BuildManager, name: string): number {
  const server = manager.mcp.allow(name);
  const what = server.transport === 'stdio' ? [server.command, ...server.args].join(' ') : server.url;
  process.stdout.write(`Allowed MCP server "${name}" (${what}) from ${server.origin} for ${manager.workspaceRoot}. It runs with your rights, outside the sandbox.\n`);
  return 0;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0].slice(0, 160);
}
