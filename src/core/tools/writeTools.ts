import fs from 'node:fs';
import { UnsafeWriteError } from '../changes/safeWrite';
import type { ChangeSink, ProposalResult, ProposedWrite } from '../changes/types';
import { closestLine } from './closestLine';
import { ToolError, type ToolHandler } from './toolError';
import type { ToolContext } from './types';
import { looksBinary } from './walk';
import { assertWritable, resolveInWorkspace } from './workspacePath';

export interface WriteFileInput {
  path: string;
  content: string;
}

export interface EditFileInput {
  path: string;
  old_text: string;
  new_text: string;
}

/** Proposes the whole new content; the changes layer decides whether and when it reaches the disk. */
export const writeFile: ToolHandler<WriteFileInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path);
  assertWritable(rel);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new ToolError(`${rel} is a directory; give the path of a file.`);
  const exists = stat !== undefined || ctx.changes.pendingContent(rel) !== undefined;

  const result = await propose(ctx.changes, { path: rel, content: input.content, tool: 'write_file' });
  const bytes = Buffer.byteLength(input.content, 'utf8');
  return `${exists ? 'Updated' : 'Created'} ${rel} (${bytes} bytes). ${describeProposal(result, rel)}`;
};

export const editFile: ToolHandler<EditFileInput> = async (input, ctx) => {
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path);
  assertWritable(rel);
  if (input.old_text === input.new_text) throw new ToolError('old_text and new_text are the same: nothing to change.');
  const content = currentContent(ctx, abs, rel);

  let oldText = input.old_text;
  let newText = input.new_text;
  let at = occurrences(content, oldText);
  // read_file shows lines without their "\r", so a model quoting a CRLF file quotes it with "\n".
  if (at.length === 0 && content.includes('\r\n') && oldText.includes('\n') && !oldText.includes('\r')) {
    const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
    at = occurrences(content, crlf(oldText));
    if (at.length > 0) {
      oldText = crlf(oldText);
      newText = crlf(newText);
    }
  }

  if (at.length === 0) {
    const hint = closestLine(content, input.old_text);
    throw new ToolError(
      `old_text was not found in ${rel}.` +
        (hint ? ` The closest line to its first line is line ${hint.line}: ${JSON.stringify(hint.text)}.` : '') +
        ' It must match exactly, including whitespace and indentation; read_file the file for its current content.',
    );
  }
  if (at.length > 1) {
    const lines = at.map((i) => lineOf(content, i));
    const shown = lines.length > 20 ? `${lines.slice(0, 20).join(', ')}, …` : lines.join(', ');
    throw new ToolError(
      `old_text occurs ${at.length} times in ${rel} (at lines ${shown}); include more of the surrounding ` +
        'text so it matches exactly once.',
    );
  }

  const index = at[0]!;
  // Slicing, not String.replace, which would interpret "$&" and friends in new_text.
  const updated = content.slice(0, index) + newText + content.slice(index + oldText.length);
  const result = await propose(ctx.changes, { path: rel, content: updated, tool: 'edit_file' });
  const line = lineOf(content, index);
  const count = (s: string) => (s === '' ? 0 : s.split('\n').length);
  return (
    `Edited ${rel}: replaced ${count(oldText)} line(s) starting at line ${line} with ${count(newText)} line(s); ` +
    `the file is now ${Buffer.byteLength(updated, 'utf8')} bytes. ${describeProposal(result, rel)}`
  );
};

/** A write the changes layer refuses (a link, .git/, the spec) is the model's error to hear, not a crash. */
async function propose(changes: ChangeSink, write: ProposedWrite): Promise<ProposalResult> {
  try {
    return await changes.propose(write);
  } catch (err) {
    if (err instanceof UnsafeWriteError) throw new ToolError(`Refused: ${err.message}.`);
    throw err;
  }
}

/** What an edit applies to: the agent's own pending change if any, else the disk. */
function currentContent(ctx: ToolContext, abs: string, rel: string): string {
  ctx.changes.noteRead(rel);
  const pending = ctx.changes.pendingContent(rel);
  if (pending !== undefined) return pending;
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new ToolError(`File not found: ${rel}; use write_file to create it.`);
  if (!stat.isFile()) throw new ToolError(`${rel} is not a regular file.`);
  const bytes = fs.readFileSync(abs);
  if (looksBinary(bytes)) throw new ToolError(`${rel} is a binary file; it cannot be edited as text.`);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    throw new ToolError(`${rel} is not valid UTF-8; editing it as text would corrupt it.`);
  }
  return text;
}

/** Start indexes of every occurrence, overlapping ones included. */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function describeProposal(result: ProposalResult, rel: string): string {
  switch (result.status) {
    case 'applied':
      return result.note ? `The change went through review. ${result.note}` : 'The change is applied.';
    case 'pending':
      return `The change (${result.changeId}) is pending review; your reads already see the new content.`;
    case 'rejected':
      throw new ToolError(`The change to ${rel} was rejected: ${result.reason ?? 'no reason given'}.`);
  }
}
