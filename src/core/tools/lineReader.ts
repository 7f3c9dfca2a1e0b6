import fs from 'node:fs';

/** A checkpoint (the byte offset where a line starts) is kept every this many lines. */
const STRIDE = 1000;
const CHUNK_BYTES = 256 * 1024;
/** Files whose checkpoints are remembered; each costs 8 bytes per STRIDE lines. */
const CACHED_FILES = 16;

interface LineOffsets {
  size: number;
  mtimeMs: number;
  /** offsets[k] is the byte offset of line k * STRIDE + 1. */
  offsets: number[];
  total?: number;
}

/**
 * Remembered checkpoints of recently read large files, so reading lines 90,000-90,050 of a
 * 100 MB log seeks near them instead of scanning from the top again. Keyed by path, and
 * discarded when the file's size or modification time changes.
 */
const recent = new Map<string, LineOffsets>();

function offsetsFor(abs: string, stat: fs.Stats): LineOffsets {
  const known = recent.get(abs);
  recent.delete(abs);
  const fresh = known && known.size === stat.size && known.mtimeMs === stat.mtimeMs ? known : { size: stat.size, mtimeMs: stat.mtimeMs, offsets: [0] };
  recent.set(abs, fresh);
  if (recent.size > CACHED_FILES) recent.delete(recent.keys().next().value!);
  return fresh;
}

export interface LineRange {
  lines: string[];
  /** Number of lines in the file, when the read got to its end. */
  total?: number;
  /** Why fewer lines than asked were kept: a limit was reached. */
  stoppedBy?: 'bytes' | 'chars';
  /** The one line kept was longer than the limits allow and is shown cut. */
  lineCut?: boolean;
}

export interface LineRangeRequest {
  start: number;
  end?: number;
  /** Stop keeping lines past this many bytes of them. */
  maxBytes: number;
  /** Stop keeping lines once their text would pass this many characters. */
  maxChars: number;
  /** Keep counting lines to the end of the file after the range (cheap for small files). */
  countAll: boolean;
}

/**
 * Lines `start..end` (1-based, inclusive) of a file, read from the nearest remembered checkpoint
 * in chunks: the file is never loaded whole, and reading stops at `end` unless `countAll`.
 */
export async function readLineRange(abs: string, stat: fs.Stats, req: LineRangeRequest): Promise<LineRange> {
  const index = offsetsFor(abs, stat);
  const checkpoint = Math.min(Math.floor((req.start - 1) / STRIDE), index.offsets.length - 1);
  let lineNo = checkpoint * STRIDE + 1;
  let pos = index.offsets[checkpoint]!;
  const end = req.end ?? Infinity;
  const kept: string[] = [];
  let keptBytes = 0;
  let keptChars = 0;
  let stoppedBy: LineRange['stoppedBy'];
  let lineCut = false;
  let collecting = true;

  /** Takes the line `lineNo` (its bytes); returns false when nothing more is wanted. */
  const take = (bytes: Buffer): boolean => {
    if (!collecting || lineNo < req.start) return collecting || req.countAll;
    if (lineNo > end) {
      collecting = false;
      return req.countAll;
    }
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (keptBytes + bytes.length > req.maxBytes || keptChars + text.length > req.maxChars) {
      stoppedBy = keptBytes + bytes.length > req.maxBytes ? 'bytes' : 'chars';
      // A single line over the limits is shown cut rather than not at all.
      if (kept.length === 0) {
        kept.push(text.slice(0, req.maxChars));
        lineCut = true;
      }
      collecting = false;
      return req.countAll;
    }
    kept.push(text);
    keptBytes += bytes.length;
    keptChars += text.length + 1;
    return true;
  };

  const handle = await fs.promises.open(abs, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let total: number | undefined = index.total;
    let partial: Buffer[] = [];
    let partialBytes = 0;
    let lineHasBytes = false;
    let wanted = true;
    while (wanted) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, pos);
      if (bytesRead === 0) {
        if (lineHasBytes) take(Buffer.concat(partial));
        total = index.total = lineHasBytes ? lineNo : lineNo - 1;
        break;
      }
      const data = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let nl = data.indexOf(10); nl !== -1 && wanted; nl = data.indexOf(10, from)) {
        const wholeLine = collecting && lineNo >= req.start ? concatLine(partial, data.subarray(from, nl)) : EMPTY;
        partial = [];
        partialBytes = 0;
        wanted = take(wholeLine);
        if (lineNo % STRIDE === 0 && index.offsets.length === lineNo / STRIDE) index.offsets.push(pos + nl + 1);
        lineNo += 1;
        from = nl + 1;
      }
      lineHasBytes = from < bytesRead;
      if (wanted && lineHasBytes && collecting && lineNo >= req.start) {
        partial.push(Buffer.from(data.subarray(from)));
        partialBytes += bytesRead - from;
        // One line larger than the byte limit: show its start and read no further.
        if (partialBytes > req.maxBytes) {
          take(Buffer.concat(partial));
          wanted = false;
        }
      }
      pos += bytesRead;
    }
    return { lines: kept, total, stoppedBy, lineCut };
  } finally {
    await handle.close();
  }
}

const EMPTY = Buffer.alloc(0);

function concatLine(partial: Buffer[], tail: Buffer): Buffer {
  return partial.length === 0 ? tail : Buffer.concat([...partial, tail]);
}
