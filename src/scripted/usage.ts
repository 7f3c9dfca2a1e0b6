import { createHash } from 'node:crypto';
import type { ScriptUsage } from './scriptTypes';

type Obj = Record<string, unknown>;

/** The usage object of a response, shaped like the SDK's `Usage`. */
export interface ResponseUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  inference_geo: null;
  output_tokens_details: null;
  server_tool_use: null;
  service_tier: 'standard';
  speed: null;
}

export type InputUsage = Pick<ResponseUsage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'> & {
  ttl: '5m' | '1h';
};

export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/** How many block boundaries before a breakpoint the real service also checks for a hit. */
export const CACHE_LOOKBACK_BLOCKS = 20;

/**
 * Prompt-cache simulation. The cacheable prefix runs tools → system → messages; every block
 * carrying cache_control is a breakpoint, identified by a hash chained over the canonical JSON of
 * the blocks before it (cache_control itself stripped, so moving a breakpoint forward keeps the
 * earlier hashes stable). Entries are written at breakpoints; a lookup also tries the boundaries up
 * to CACHE_LOOKBACK_BLOCKS before each breakpoint, as the real service does, so a conversation
 * that moves its one breakpoint forward reads the previous turn's prefix. Hashes live as long as
 * this object.
 */
export class PromptCache {
  private readonly seen = new Set<string>();

  constructor(readonly minTokens = 1024) {}

  /** Usage of the input; with `store` false the cache is consulted but not filled. */
  account(body: Obj, store = true): InputUsage {
    const parts = prefixParts(body);
    const hashes: string[] = [];
    const tokens: number[] = [];
    let hash = sha256(`model\0${String(body.model)}`);
    let chars = 0;
    for (const p of parts) {
      hash = sha256(`${hash}\0${p.text}`);
      chars += p.text.length;
      hashes.push(hash);
      tokens.push(estimateTokens(chars));
    }
    const breakpoints = parts.flatMap((p, i) => (p.marker ? [i] : []));
    const last = breakpoints.at(-1);
    const total = estimateTokens(chars);
    let read = 0;
    let creation = 0;
    if (last !== undefined && tokens[last]! >= this.minTokens) {
      for (const b of breakpoints) {
        for (let i = b; i >= Math.max(0, b - CACHE_LOOKBACK_BLOCKS + 1); i--) {
          if (this.seen.has(hashes[i]!)) {
            read = Math.max(read, tokens[i]!);
            break;
          }
        }
      }
      creation = tokens[last]! - read;
      if (store) for (const b of breakpoints) if (tokens[b]! >= this.minTokens) this.seen.add(hashes[b]!);
    }
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      ttl: last !== undefined && parts[last]!.marker!.ttl === '1h' ? '1h' : '5m',
    };
  }
}

export function outputTokens(content: unknown[]): number {
  return Math.max(1, estimateTokens(canonicalJson(content).length));
}

/** Combines computed input/output tokens with a script's per-field overrides. */
export function responseUsage(input: InputUsage, output: number, override: ScriptUsage = {}): ResponseUsage {
  const u = {
    input_tokens: override.input_tokens ?? input.input_tokens,
    output_tokens: override.output_tokens ?? output,
    cache_creation_input_tokens: override.cache_creation_input_tokens ?? input.cache_creation_input_tokens,
    cache_read_input_tokens: override.cache_read_input_tokens ?? input.cache_read_input_tokens,
  };
  const created = u.cache_creation_input_tokens;
  return {
    ...u,
    cache_creation: {
      ephemeral_5m_input_tokens: input.ttl === '5m' ? created : 0,
      ephemeral_1h_input_tokens: input.ttl === '1h' ? created : 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

interface Part {
  text: string;
  marker?: Obj;
}

function prefixParts(body: Obj): Part[] {
  const parts: Part[] = [];
  const add = (role: string, block: unknown) => {
    if (!isObj(block)) return parts.push({ text: canonicalJson([role, block]) });
    const { cache_control, ...rest } = block;
    let marker = isObj(cache_control) ? cache_control : undefined;
    if (rest.type === 'tool_result' && Array.isArray(rest.content)) {
      rest.content = rest.content.map((inner) => {
        if (!isObj(inner)) return inner;
        const { cache_control: innerMarker, ...innerRest } = inner;
        if (isObj(innerMarker)) marker ??= innerMarker;
        return innerRest;
      });
    }
    return parts.push({ text: canonicalJson([role, rest]), marker });
  };
  for (const t of list(body.tools)) add('tool', t);
  if (typeof body.system === 'string') add('system', { type: 'text', text: body.system });
  else for (const s of list(body.system)) add('system', s);
  for (const m of list(body.messages)) {
    if (!isObj(m)) continue;
    const role = String(m.role);
    if (typeof m.content === 'string') add(role, { type: 'text', text: m.content });
    else for (const b of list(m.content)) add(role, b);
  }
  const lastPart = parts.at(-1);
  if (isObj(body.cache_control) && lastPart && !lastPart.marker) lastPart.marker = body.cache_control;
  return parts;
}

/** JSON with object keys sorted, so equal content always hashes and counts the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObj(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
