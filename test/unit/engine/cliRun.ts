import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers';

/** The bundled command, as shipped (tests bundle it first with `node esbuild.js`). */
export const cli = path.join(repoRoot, 'dist', 'cli.js');

/** Runs `munero ARGS` with `env` over this process's environment; `stdin`, when given, is written and closed; `bundle`, a private copy of the CLI. */
export function runCli(args: string[], env: Record<string, string | undefined>, stdin?: string, bundle = cli): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    if (stdin !== undefined) child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

/**
 * A private copy of the bundled CLI and what it loads beside it (the sandbox helper, the bundled
 * MCP servers, the seccomp binaries), for a long suite: another test bundling dist/ meanwhile
 * cannot swap the files under its runs.
 */
export function privateCli(into: string): string {
  for (const name of ['cli.js', 'cli-main.js', 'cli-status.js', 'sandbox-helper.js', 'mcp', 'vendor']) {
    const from = path.join(path.dirname(cli), name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(into, name), { recursive: true });
  }
  return path.join(into, 'cli.js');
}
