import type { Permission, McpServerConfig } from './config';
import type { RemoteTool } from './connection';

/** A tool's permission: its own setting, else the server's, else allow for read-only tools and ask for the rest. */
export function toolPermission(server: McpServerConfig, tool: RemoteTool): Permission {
  return server.tools[tool.name] ?? server.permission ?? (tool.annotations?.readOnlyHint ? 'allow' : 'ask');
}

/** `--allow-mcp memory` allows every tool of memory; `--allow-mcp memory:create_entities` one tool. */
export function allowedByRules(rules: readonly string[], server: string, tool: string): boolean {
  return rules.some((r) => r === server || r === `${server}:${tool}` || r === '*');
}
