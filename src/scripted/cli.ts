import { parseArgs } from 'node:util';
import { ScriptError, loadScript } from './loadScript';
import { startRecordingProxy } from './recorder';
import { startScriptedServer } from './server';
import { plural } from '../core/plural';
import { explainArgError } from '../cli/argErrors';

export const SERVE_SCRIPT_HELP = `Usage:
  munero serve-script <script.json> [--port N] [--latency-ms N]
  munero serve-script --record <out.json> --upstream URL [--port N]

Serves a scripted Claude Messages API (POST /v1/messages) on 127.0.0.1 until Ctrl-C, for
reproducible runs of agents without a model. Point clients at the printed URL (for Munero:
ANTHROPIC_BASE_URL). With --record, forwards requests to a real API instead and appends each
completed response to <out.json> as a script turn.

Options:
  --port N          port to listen on (default: any free port)
  --latency-ms N    delay added to every turn
  --record FILE     record mode: the script file to write (appended to if it exists)
  --upstream URL    record mode: the real API base URL, e.g. https://api.anthropic.com
  -h, --help        show this help

The script format is described in src/scripted/README.md.
`;

export interface ServeScriptIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops serving, like SIGINT (for embedding and tests). */
  signal?: AbortSignal;
}

/** `munero serve-script …`; `argv` is what follows the command name. Resolves to the exit code. */
export async function serveScriptCommand(argv: string[], io: ServeScriptIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const usageError = (message: string) => {
    stderr.write(`munero serve-script: ${message}\n\n${SERVE_SCRIPT_HELP}`);
    return 2;
  };

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'latency-ms': { type: 'string' },
        record: { type: 'string' },
        upstream: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    return usageError(explainArgError(err as Error, 'serve-script'));
  }
  if (values.help) {
    stdout.write(SERVE_SCRIPT_HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : wholeNumber(values.port as string);
  if (port === undefined || port > 65535) return usageError(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
  const latencyMs = values['latency-ms'] === undefined ? 0 : wholeNumber(values['latency-ms'] as string);
  if (latencyMs === undefined) return usageError(`--latency-ms must be a whole number of milliseconds, got "${values['latency-ms']}"`);

  if (values.record !== undefined) {
    if (positionals.length) return usageError(`--record takes no script argument (got "${positionals.join(' ')}")`);
    if (values['latency-ms'] !== undefined) return usageError('--latency-ms applies to serving a script, not to --record');
    const upstream = values.upstream as string | undefined;
    if (!upstream) return usageError('--record needs --upstream URL, the API to record from');
    if (!/^https?:\/\/[^/]/.test(upstream) || !URL.canParse(upstream)) {
      return usageError(`--upstream must be an http(s) URL, got "${upstream}"`);
    }
    const outFile = values.record as string;
    let proxy;
    try {
      proxy = await startRecordingProxy({ upstream, outFile, port });
    } catch (err) {
      return failure(stderr, err);
    }
    const before = proxy.turns().length;
    stdout.write(`listening on ${proxy.url}\n`);
    stderr.write(`recording ${upstream} into ${outFile}; press Ctrl-C to stop\n`);
    await stopRequested(io.signal);
    await proxy.close();
    stderr.write(`recorded ${plural(proxy.turns().length - before, 'turn')} into ${outFile}\n`);
    return 0;
  }

  if (values.upstream !== undefined) return usageError('--upstream is only used with --record');
  if (positionals.length !== 1) return usageError('give exactly one script file, e.g. `munero serve-script session.json`');
  let server;
  try {
    server = await startScriptedServer({ script: loadScript(positionals[0]!), port, latencyMs });
  } catch (err) {
    return failure(stderr, err);
  }
  stdout.write(`listening on ${server.url}\n`);
  await stopRequested(io.signal);
  await server.close();
  const rejected = server.rejected().length;
  stderr.write(
    `served ${plural(server.log.length, 'request')} (${rejected} rejected with 400); ${plural(server.remainingTurns().length, 'turn')} left unplayed\n`,
  );
  return 0;
}

/** A bad script is a usage error (2); anything else, such as a port in use, is 1. */
function failure(stderr: NodeJS.WritableStream, err: unknown): number {
  stderr.write(`munero serve-script: ${(err as Error).message}\n`);
  if (err instanceof ScriptError) stderr.write('Fix the path or the fields named above; the script format is in src/scripted/README.md.\n');
  return err instanceof ScriptError ? 2 : 1;
}

function wholeNumber(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

function stopRequested(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}
