import { TOOL_NAME_PATTERN } from './loadScript';

type Obj = Record<string, unknown>;

/** One content block of the request, with where it came from (idx -1 = string content). */
interface Located {
  block: Obj;
  msg: number;
  idx: number;
}

/** Consecutive messages with the same role, which the API merges into one turn. */
interface Turn {
  role: string;
  blocks: Located[];
}

/**
 * Checks a Messages API request body the way the real service does.
 * Returns the `invalid_request_error` message, or null when the request is acceptable.
 */
export function validateRequest(body: unknown): string | null {
  if (!isObj(body)) return 'Request body must be a JSON object';
  return (
    checkTopLevel(body) ??
    checkSystem(body.system) ??
    checkTools(body.tools) ??
    checkMessages(body.messages as unknown[]) ??
    checkCacheControlCount(body)
  );
}

function checkTopLevel(body: Obj): string | null {
  if (body.model === undefined) return 'model: Field required';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Input should be a valid string';
  if (body.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(body.max_tokens)) return 'max_tokens: Input should be a valid integer';
  // 0 is accepted: the SDK documents max_tokens 0 as "populate the prompt cache without generating".
  if ((body.max_tokens as number) < 0) return 'max_tokens: Input should be greater than or equal to 0';
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  return null;
}

function checkSystem(system: unknown): string | null {
  if (system === undefined || system === null || typeof system === 'string') return null;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list of text blocks';
  for (const [j, b] of system.entries()) {
    if (!isObj(b) || b.type !== 'text' || typeof b.text !== 'string') return `system.${j}: Input should be a text block`;
    const err = textProblem(b.text);
    if (err) return `system.${j}: ${err}`;
  }
  return null;
}

function checkTools(tools: unknown): string | null {
  if (tools === undefined || tools === null) return null;
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  const seen = new Set<string>();
  for (const [i, t] of tools.entries()) {
    if (!isObj(t)) return `tools.${i}: Input should be a valid dictionary`;
    if (typeof t.name !== 'string' || !TOOL_NAME_PATTERN.test(t.name)) {
      return `tools.${i}.name: String should match pattern '${TOOL_NAME_PATTERN.source}'`;
    }
    if (seen.has(t.name)) return `tools: Tool names must be unique (duplicate name "${t.name}")`;
    seen.add(t.name);
    const custom = t.type === undefined || t.type === null || t.type === 'custom';
    if (!custom) continue;
    if (t.input_schema === undefined) return `tools.${i}.custom.input_schema: Field required`;
    if (!isObj(t.input_schema) || t.input_schema.type !== 'object') {
      return `tools.${i}.custom.input_schema.type: Input should be 'object'`;
    }
  }
  return null;
}

function checkMessages(messages: unknown[]): string | null {
  const turns: Turn[] = [];
  const last = messages.length - 1;
  for (const [i, m] of messages.entries()) {
    if (!isObj(m)) return `messages.${i}: Input should be a valid dictionary`;
    if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system') {
      return `messages.${i}.role: Input should be 'user', 'assistant' or 'system'`;
    }
    const blocks = contentBlocks(m.content, i);
    if (typeof blocks === 'string') return blocks;
    if (blocks.length === 0 || (typeof m.content === 'string' && m.content === '')) {
      if (i !== last || m.role !== 'assistant') {
        return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
      }
      continue;
    }
    const prev = turns.at(-1);
    if (prev && prev.role === m.role) prev.blocks.push(...blocks);
    else turns.push({ role: m.role, blocks });
  }
  for (const [t, turn] of turns.entries()) {
    const err = checkBlocks(turn) ?? checkToolPairing(turns, t);
    if (err) return err;
  }
  return checkPrefill(messages[last] as Obj);
}

function contentBlocks(content: unknown, i: number): Located[] | string {
  if (typeof content === 'string') return content === '' ? [] : [{ block: { type: 'text', text: content }, msg: i, idx: -1 }];
  if (!Array.isArray(content)) return `messages.${i}.content: Input should be a valid string or list of content blocks`;
  const out: Located[] = [];
  for (const [j, b] of content.entries()) {
    if (!isObj(b) || typeof b.type !== 'string') return `messages.${i}.content.${j}.type: Field required`;
    out.push({ block: b, msg: i, idx: j });
  }
  return out;
}

function checkBlocks(turn: Turn): string | null {
  for (const { block, msg, idx } of turn.blocks) {
    const at = idx < 0 ? `messages.${msg}` : `messages.${msg}.content.${idx}`;
    if (block.type === 'text') {
      const err = textProblem(block.text);
      if (err) return `${at}: ${err}`;
    }
    if (block.type === 'tool_use' && turn.role !== 'assistant') return `${at}: tool_use blocks can only appear in assistant messages`;
    if (block.type === 'tool_result') {
      if (turn.role !== 'user') return `${at}: tool_result blocks can only appear in user messages`;
      if (Array.isArray(block.content)) {
        for (const [k, inner] of block.content.entries()) {
          if (isObj(inner) && inner.type === 'text') {
            const err = textProblem(inner.text);
            if (err) return `${at}.content.${k}: ${err}`;
          }
        }
      }
    }
  }
  return null;
}

function checkToolPairing(turns: Turn[], t: number): string | null {
  const turn = turns[t]!;
  if (turn.role === 'assistant') {
    const uses = turn.blocks.filter((b) => b.block.type === 'tool_use');
    if (uses.length === 0) return null;
    const next = turns[t + 1];
    const answered = new Set(next?.role === 'user' ? resultIds(next) : []);
    const missing = uses.map((u) => String(u.block.id)).filter((id) => !answered.has(id));
    if (missing.length === 0) return null;
    return (
      `messages.${uses[0]!.msg}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ` +
      `${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`
    );
  }
  if (turn.role !== 'user') return null;
  const prev = turns[t - 1];
  const callIds = new Set(
    prev?.role === 'assistant' ? prev.blocks.filter((b) => b.block.type === 'tool_use').map((b) => String(b.block.id)) : [],
  );
  for (const { block, msg, idx } of turn.blocks) {
    if (block.type === 'tool_result' && !callIds.has(String(block.tool_use_id))) {
      return (
        `messages.${msg}.content.${idx}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. ` +
        'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
      );
    }
  }
  if (callIds.size === 0) return null;
  const lastResult = turn.blocks.findLastIndex((b) => b.block.type === 'tool_result');
  const firstOther = turn.blocks.findIndex((b) => b.block.type !== 'tool_result');
  if (firstOther !== -1 && firstOther < lastResult) {
    const { block, msg, idx } = turn.blocks[firstOther]!;
    const at = idx < 0 ? `messages.${msg}` : `messages.${msg}.content.${idx}`;
    return (
      `${at}: tool_result blocks must come first in the user message that answers tool calls, ` +
      `but a ${String(block.type)} block precedes them`
    );
  }
  return null;
}

function checkPrefill(last: Obj): string | null {
  if (last.role !== 'assistant') return null;
  const c = last.content;
  const tail = typeof c === 'string' ? c : Array.isArray(c) ? c.at(-1) : undefined;
  const text = typeof tail === 'string' ? tail : isObj(tail) && tail.type === 'text' ? tail.text : undefined;
  if (typeof text === 'string' && /\s$/.test(text)) return 'messages: final assistant content cannot end with trailing whitespace';
  return null;
}

/**
 * Counts blocks carrying cache_control: tools, system blocks, message blocks and blocks nested in
 * tool_result. Top-level `cache_control` marks the last block, so it takes a slot unless that block
 * already has one.
 */
export function checkCacheControlCount(body: Obj): string | null {
  let n = 0;
  let lastMarked = false;
  const visit = (b: unknown) => {
    if (!isObj(b)) return;
    lastMarked = b.cache_control != null;
    if (lastMarked) n++;
    if (b.type === 'tool_result' && Array.isArray(b.content)) {
      for (const inner of b.content) if (isObj(inner) && inner.cache_control != null) n++;
    }
  };
  for (const t of arr(body.tools)) visit(t);
  for (const s of arr(body.system)) visit(s);
  for (const m of arr(body.messages)) {
    if (isObj(m) && Array.isArray(m.content)) for (const b of m.content) visit(b);
    else lastMarked = false;
  }
  if (body.cache_control != null && !lastMarked) n++;
  return n > 4 ? `A maximum of 4 blocks with cache_control may be provided. Found ${n}.` : null;
}

function textProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'text: Input should be a valid string';
  if (text === '') return 'text content blocks must be non-empty';
  if (text.trim() === '') return 'text content blocks must contain non-whitespace text';
  return null;
}

function resultIds(turn: Turn): string[] {
  return turn.blocks.filter((b) => b.block.type === 'tool_result').map((b) => String(b.block.tool_use_id));
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
