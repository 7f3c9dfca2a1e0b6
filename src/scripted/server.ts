import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomId, sendError } from './apiErrors';
import { handleRequest, type RequestLogEntry } from './handler';
import { validateScript } from './loadScript';
import type { ScriptFile, ScriptTurn } from './scriptTypes';
import { TurnQueue } from './turnQueue';
import { PromptCache } from './usage';

export { loadScript, validateScript, ScriptError } from './loadScript';
export type { RequestLogEntry } from './handler';

export interface ScriptedServer {
  /** http://127.0.0.1:PORT — use as the SDK's baseURL. */
  url: string;
  port: number;
  /** Every request, in the order the server decided how to answer it. */
  log: RequestLogEntry[];
  /** Entries answered with 400: what a test asserts is empty after a whole build. */
  rejected(): RequestLogEntry[];
  remainingTurns(): ScriptTurn[];
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  script: ScriptFile;
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Prefixes shorter than this are never cached. Default 1024. */
  minCacheTokens?: number;
  /** Added to every turn's delay. */
  latencyMs?: number;
  /** The models the server knows: listed at GET /v1/models, and a request for another is a 404. Default: any model, none listed. */
  models?: string[];
}

export async function startScriptedServer(opts: ScriptedServerOptions): Promise<ScriptedServer> {
  const script = validateScript(opts.script, 'script passed to startScriptedServer');
  const ctx = {
    queue: new TurnQueue(script.turns),
    cache: new PromptCache(opts.minCacheTokens ?? 1024),
    log: [] as RequestLogEntry[],
    latencyMs: opts.latencyMs ?? 0,
    models: opts.models,
  };
  const server = http.createServer((req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(res, randomId('req_'), 'api_error', `scripted server: internal error: ${(err as Error).message}`);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    log: ctx.log,
    rejected: () => ctx.log.filter((e) => e.status === 400),
    remainingTurns: () => ctx.queue.remaining(),
    close: () => closeServer(server),
  };
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? reject(err) : resolve()));
    // Keep-alive sockets from SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}
