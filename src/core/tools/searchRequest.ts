import fs from 'node:fs';
import { ToolError } from './toolError';
import type { ToolContext } from './types';
import { FORBIDDEN_DIRS } from './walk';
import { PathError, resolveInWorkspace } from './workspacePath';

export type OutputMode = 'content' | 'files_with_matches' | 'count';

export interface SearchFilesInput {
  pattern: string;
  path?: string;
  glob?: string;
  type?: string;
  case_insensitive?: boolean;
  output_mode?: OutputMode;
  context?: number;
  head_limit?: number;
}

/** A search_files call, checked and resolved. */
export interface SearchRequest {
  /** The JavaScript regular expression's source, as the model wrote it. */
  pattern: string;
  caseInsensitive: boolean;
  mode: OutputMode;
  context: number;
  /** Most entries shown: matching lines (content), files, or file counts. */
  headLimit: number;
  glob?: string;
  type?: string;
  /** Workspace-relative file or directory searched ('.' for the root). */
  rel: string;
  abs: string;
  isFile: boolean;
  /** node_modules folders are searched only when the search starts inside one. */
  insideNodeModules: boolean;
}

export async function searchRequest(input: SearchFilesInput, ctx: ToolContext): Promise<SearchRequest> {
  const caseInsensitive = input.case_insensitive ?? false;
  try {
    new RegExp(input.pattern, caseInsensitive ? 'i' : '');
  } catch (err) {
    throw new ToolError(`Invalid regular expression ${JSON.stringify(input.pattern)}: ${(err as Error).message}`);
  }
  const { abs, rel } = resolveInWorkspace(ctx.workspaceRoot, input.path ?? '.');
  const segments = rel.split('/');
  const forbidden = segments.find((s) => FORBIDDEN_DIRS.has(s));
  if (forbidden) throw new PathError(input.path ?? '.', `${forbidden}/ is never searched`);
  const stat = await fs.promises.stat(abs).catch(() => undefined);
  if (!stat) throw new ToolError(`Not found: ${rel}`);
  return {
    pattern: input.pattern,
    caseInsensitive,
    mode: input.output_mode ?? 'content',
    context: input.context ?? 0,
    headLimit: input.head_limit ?? ctx.limits.maxListEntries,
    glob: input.glob,
    type: input.type,
    rel,
    abs,
    isFile: stat.isFile(),
    insideNodeModules: segments.includes('node_modules'),
  };
}

/** Whether a workspace-relative path lies in what the request searches. */
export function inScope(req: SearchRequest, rel: string): boolean {
  return req.rel === '.' || rel === req.rel || rel.startsWith(`${req.rel}/`);
}

export function describeWhere(req: SearchRequest): string {
  return req.rel === '.' ? 'the workspace' : req.rel;
}
