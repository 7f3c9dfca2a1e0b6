import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './helpers';

/** The bundled command, as shipped (tests bundle it first with `node esbuild.js`). */
export const cli = path.join(repoRoot, 'dist', 'cli.js');

/** Runs `munero ARGS` with `env` over this process's environment; `stdin`, when given, is written and closed. */
export function runCli(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    if (stdin !== undefined) child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}
