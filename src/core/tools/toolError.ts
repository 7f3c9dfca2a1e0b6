import type { ToolContext } from './types';

/** A failure to report to the model as the tool's result (`ok: false`), not a crash. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** A tool's implementation: resolves to the result text, throws ToolError (or PathError) to fail. */
export type ToolHandler<I> = (input: I, ctx: ToolContext) => Promise<string>;
