import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomId, sendError } from './apiErrors';
import { loadScript } from './loadScript';
import { messageFromSse, parseSse, turnFromMessage } from './reassemble';
import type { ScriptFile, ScriptTurn } from './scriptTypes';
import { closeServer } from './server';

export interface RecordingProxyOptions {
  /** Base URL of the real API, e.g. https://api.anthropic.com */
  upstream: string;
  /** Script file to append to (created if missing). */
  outFile: string;
  port?: number;
  host?: string;
}

export interface RecordingProxy {
  url: string;
  port: number;
  /** The script's turns so far, including any the file held before. */
  turns(): ScriptTurn[];
  close(): Promise<void>;
}

/** Headers that describe one connection, not the message, and must not be forwarded. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

/**
 * Forwards every request to `upstream` with the client's headers, streams the answer back
 * unchanged, and appends each completed `POST /v1/messages` response to `outFile` as a ScriptTurn.
 */
export async function startRecordingProxy(opts: RecordingProxyOptions): Promise<RecordingProxy> {
  const base = new URL(opts.upstream);
  const script: ScriptFile = fs.existsSync(opts.outFile)
    ? loadScript(opts.outFile)
    : { version: 1, description: `recorded from ${base.origin} on ${new Date().toISOString()}`, turns: [] };

  const record = (turn: ScriptTurn) => {
    script.turns.push(turn);
    writeAtomically(opts.outFile, JSON.stringify(script, null, 2) + '\n');
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const target = new URL(base.pathname.replace(/\/$/, '') + (req.url ?? '/'), base.origin);
    const headers = withoutHopByHop(req.headers);
    delete headers.host;
    headers['content-length'] = String(body.length);
    const isMessages = req.method === 'POST' && target.pathname.endsWith('/v1/messages');

    const upstreamReq = (target.protocol === 'https:' ? https : http).request(target, { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, withoutHopByHop(up.headers));
      const received: Buffer[] = [];
      up.on('data', (c: Buffer) => {
        received.push(c);
        res.write(c);
      });
      up.on('error', () => {});
      up.on('close', () => {
        // An upstream that broke off mid-response is passed on as a broken response, and not recorded.
        if (!up.complete) return void res.destroy();
        res.end();
        if (!isMessages || up.statusCode !== 200) return;
        try {
          const turn = recordedTurn(Buffer.concat(received), up.headers, req.headers);
          if (turn) record(turn);
          else console.warn('recording proxy: response did not complete a message; not recorded');
        } catch (err) {
          console.warn(`recording proxy: could not record a response: ${(err as Error).message}`);
        }
      });
    });
    upstreamReq.on('error', (err) => {
      if (res.headersSent) res.destroy();
      else sendError(res, randomId('req_'), 'api_error', `recording proxy: upstream request failed: ${err.message}`);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    upstreamReq.end(body);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    turns: () => script.turns,
    close: () => closeServer(server),
  };
}

function recordedTurn(body: Buffer, resHeaders: http.IncomingHttpHeaders, reqHeaders: http.IncomingHttpHeaders): ScriptTurn | null {
  const text = decode(body, resHeaders['content-encoding']);
  const message = resHeaders['content-type']?.includes('text/event-stream')
    ? messageFromSse(parseSse(text))
    : (JSON.parse(text) as Record<string, unknown>);
  if (!message) return null;
  const agent = single(reqHeaders['x-munero-agent']) ?? 'default';
  return turnFromMessage(message, agent, single(reqHeaders['x-munero-task']));
}

function decode(body: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  if (encoding === 'deflate') return zlib.inflateSync(body).toString('utf8');
  return body.toString('utf8');
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.includes(k)) out[k] = v;
  return out;
}

function single(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : undefined;
}

/** Temp file + rename, so a reader never sees a half-written script. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
