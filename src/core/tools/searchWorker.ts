import { Worker } from 'node:worker_threads';
import { MAX_LINE_CHARS, MAX_LINES_PER_FILE } from './ripgrep';
import type { SearchRequest } from './searchRequest';
import type { HitLine, SearchResults } from './searchResults';
import { ToolError } from './toolError';

/** A file to search: on disk (`abs`), or the agent's pending content (`text`). */
export interface SearchItem {
  rel: string;
  abs?: string;
  text?: string;
}

/** Files above this are not searched by the JavaScript engine (ripgrep searches any size). */
export const WORKER_MAX_FILE_BYTES = 16 * 1024 * 1024;
const BATCH = 256;
const WATCH_MS = 100;

/**
 * The JavaScript search, run in a worker thread so a slow or catastrophic pattern can never stop
 * the event loop: the worker is simply terminated. Plain JavaScript source, so it needs no file
 * of its own next to the bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const fs = require('node:fs');
const regex = new RegExp(w.source, w.flags);
const done = new Int32Array(w.progress);
const skipped = [];

function shorten(line, at) {
  if (line.length <= w.maxLineChars) return line;
  const start = Math.max(0, Math.min(at - 100, line.length - w.maxLineChars));
  const end = start + w.maxLineChars;
  return (start > 0 ? '…' : '') + line.slice(start, end) + (end < line.length ? '…' : '');
}

function textOf(item) {
  if (item.text !== undefined) return item.text;
  try {
    const size = fs.statSync(item.abs).size;
    if (size > w.maxFileBytes) { skipped.push([item.rel, 'over ' + Math.round(w.maxFileBytes / 1048576) + ' MB']); return undefined; }
    const bytes = fs.readFileSync(item.abs);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    return bytes.toString('utf8');
  } catch (err) {
    skipped.push([item.rel, 'unreadable: ' + (err.code || err.message)]);
    return undefined;
  }
}

function search(item) {
  const text = textOf(item);
  if (text === undefined) return;
  const lines = text.split('\\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const clean = (i) => (lines[i].endsWith('\\r') ? lines[i].slice(0, -1) : lines[i]);
  const hits = new Map();
  let matches = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = regex.exec(clean(i));
    if (!m) continue;
    matches++;
    if (w.mode === 'files_with_matches') break;
    if (w.mode === 'content' && hits.size < w.maxLinesPerFile) hits.set(i, m.index);
  }
  if (matches === 0) return;
  const out = [];
  let next = 0;
  for (const i of hits.keys()) {
    const to = Math.min(i + w.context, lines.length - 1);
    for (let j = Math.max(i - w.context, next); j <= to; j++) {
      const at = hits.get(j);
      out.push([j + 1, shorten(clean(j), at === undefined ? 0 : at), at !== undefined]);
    }
    next = to + 1;
  }
  parentPort.postMessage({ rel: item.rel, lines: out, matches });
}

parentPort.on('message', (msg) => {
  if (msg.end) return parentPort.postMessage({ end: true, skipped });
  for (const item of msg.items) {
    search(item);
    Atomics.add(done, 0, 1);
  }
});
`;

export interface WorkerSearch {
  deadlineAt: number;
  /** A file taking longer than this is taken for a pattern that backtracks catastrophically. */
  fileTimeoutMs: number;
  signal?: AbortSignal;
}

type WorkerMessage = { rel: string; lines: HitLine[]; matches: number } | { end: true; skipped: Array<[string, string]> };

/** Searches `items` with the JavaScript engine, streaming results into `results`. */
export async function searchInWorker(items: AsyncIterable<SearchItem>, req: SearchRequest, results: SearchResults, opts: WorkerSearch): Promise<void> {
  const progress = new SharedArrayBuffer(4);
  const done = new Int32Array(progress);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      source: req.pattern,
      flags: req.caseInsensitive ? 'i' : '',
      mode: req.mode,
      context: req.mode === 'content' ? req.context : 0,
      maxLineChars: MAX_LINE_CHARS,
      maxLinesPerFile: MAX_LINES_PER_FILE,
      maxFileBytes: WORKER_MAX_FILE_BYTES,
      progress,
    },
  });
  const sent: string[] = [];
  let stopped: ToolError | 'stopped' | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerMessage) => {
      if (!('end' in msg)) return results.addFile(msg.rel, msg.lines, msg.matches);
      for (const [rel, reason] of msg.skipped) results.skip(rel, reason);
      resolve();
    });
    worker.on('error', (err) => {
      halt('stopped');
      reject(new ToolError(`The search failed: ${err.message}`));
    });
    worker.on('exit', () => (stopped instanceof ToolError ? reject(stopped) : resolve()));
    let lastDone = 0;
    let lastChangeAt = Date.now();
    watchdog = setInterval(() => {
      const now = Date.now();
      const count = Atomics.load(done, 0);
      if (count !== lastDone) [lastDone, lastChangeAt] = [count, now];
      if (opts.signal?.aborted) return halt(new ToolError('Cancelled.'));
      if (now >= opts.deadlineAt) {
        const unsearched = sent.length - count;
        results.stop(`The search stopped at its time limit: ${unsearched} files queued (and any not yet listed) were not searched. Narrow it with a path, a glob or a type.`);
        return halt('stopped');
      }
      if (count < sent.length && now - lastChangeAt >= opts.fileTimeoutMs) halt(catastrophic(req, sent[count]!, opts.fileTimeoutMs, results));
    }, WATCH_MS);
  });
  const halt = (why: ToolError | 'stopped') => {
    stopped ??= why;
    void worker.terminate();
  };

  const feeding = (async () => {
    let batch: SearchItem[] = [];
    const flush = () => {
      if (batch.length > 0) worker.postMessage({ items: batch });
      batch = [];
    };
    for await (const item of items) {
      if (stopped) return;
      batch.push(item);
      sent.push(item.rel);
      if (batch.length >= BATCH) flush();
    }
    flush();
    if (!stopped) worker.postMessage({ end: true });
  })();
  try {
    await Promise.all([finished, feeding]);
  } finally {
    clearInterval(watchdog);
    await worker.terminate();
  }
}

/** A pattern stuck on one file: a clear error, or a note when some results came before it. */
function catastrophic(req: SearchRequest, rel: string, ms: number, results: SearchResults): ToolError | 'stopped' {
  const message =
    `The pattern /${req.pattern}/ ran over ${ms / 1000} s on ${rel} and was stopped: it likely backtracks catastrophically ` +
    `(nested repetition such as (a+)+ or (\\w+\\s*)+). Rewrite it without nesting a repeated group inside another repetition.`;
  if (results.fileCount === 0) return new ToolError(message);
  results.stop(`${message} Files after it were not searched.`);
  return 'stopped';
}
