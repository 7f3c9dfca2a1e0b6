import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { McpServerConfig } from './config';

/**
 * Workspace servers the user allowed, per workspace, kept in the user's config folder: never in
 * the workspace, where a cloned repository could pre-allow its own servers. An entry holds the
 * server's fingerprint, so a changed command or URL must be allowed again.
 */
export class AllowedServers {
  constructor(private readonly file: string, private readonly workspaceRoot: string) {}

  isAllowed(server: McpServerConfig): boolean {
    return this.read()[this.workspaceRoot]?.[server.name] === fingerprint(server);
  }

  allow(server: McpServerConfig): void {
    const all = this.read();
    (all[this.workspaceRoot] ??= {})[server.name] = fingerprint(server);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, `${JSON.stringify(all, null, 2)}\n`);
  }

  private read(): Record<string, Record<string, string>> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return {};
    }
  }
}

export function fingerprint(s: McpServerConfig): string {
  const what = { command: s.command, args: s.args, env: s.env, cwd: s.cwd, url: s.url, headers: s.headers };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 16);
}
