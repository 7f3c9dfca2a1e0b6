import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { capText } from './capText';
import { runCommandTool } from './commandTool';
import { CODER_TOOLS, PLANNER_TOOLS, REFLECTOR_TOOLS, REVIEWER_TOOLS } from './definitions';
import { listFiles } from './listTool';
import { readFile } from './readTool';
import { searchFiles } from './searchTool';
import { ToolError, type ToolHandler } from './toolError';
import type { ToolContext, ToolDefinition, ToolOutcome } from './types';
import { PathError } from './workspacePath';
import { editFile, writeFile } from './writeTools';

const HANDLERS: Record<string, ToolHandler<any>> = {
  list_files: listFiles,
  read_file: readFile,
  search_files: searchFiles,
  write_file: writeFile,
  edit_file: editFile,
  run_command: runCommandTool,
  // The agent loops act on these before they get here; answering keeps executeTool total.
  task_complete: async () => 'Task completion noted.',
  submit_plan: async () => 'Plan received.',
  submit_reflection: async () => 'Reflection received.',
  submit_review: async () => 'Review received.',
};

interface RegisteredTool {
  definition: ToolDefinition;
  validate: ValidateFunction;
  handler: ToolHandler<any>;
}

let registry: Map<string, RegisteredTool> | undefined;

/** Schemas are compiled once, on first use. */
function tools(): Map<string, RegisteredTool> {
  if (registry) return registry;
  const ajv = new Ajv({ allErrors: true, strict: true });
  registry = new Map();
  const unique = new Map([...CODER_TOOLS, ...PLANNER_TOOLS, ...REFLECTOR_TOOLS, ...REVIEWER_TOOLS].map((d) => [d.name, d]));
  for (const definition of unique.values()) {
    const handler = HANDLERS[definition.name];
    if (!handler) throw new Error(`No handler for tool ${definition.name}`);
    registry.set(definition.name, { definition, validate: ajv.compile(definition.input_schema), handler });
  }
  return registry;
}

/** Runs one tool call. Throws only when interrupted (AbortError); every other failure is an `{ ok: false }` outcome for the model. */
export async function executeTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const max = ctx.limits.maxResultChars;
  const fail = (error: string): ToolOutcome => ({ ok: false, error: capText(error, max) });
  try {
    const tool = tools().get(name);
    if (!tool) return fail(`Unknown tool "${name}". Known tools: ${[...tools().keys()].join(', ')}.`);
    if (!tool.validate(input)) return fail(`Invalid input for ${name}: ${describeErrors(tool.validate.errors ?? [])}`);
    if (ctx.signal?.aborted) return fail('Cancelled.');
    const content = await tool.handler(input, ctx);
    return { ok: true, content: capText(content, max) };
  } catch (err) {
    // An interrupted wait for review: the call stays unanswered, so a resume asks again.
    if (err instanceof Error && err.name === 'AbortError') throw err;
    if (err instanceof ToolError || err instanceof PathError) return fail(err.message);
    return fail(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Ajv errors as a sentence naming each field, e.g. `"path" is required; "start_line" must be integer`. */
export function describeErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  for (const e of errors) {
    const at = fieldName(e.instancePath);
    let message: string;
    if (e.keyword === 'required') {
      const field = fieldName(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`);
      message = `"${field}" is required`;
    } else if (e.keyword === 'additionalProperties') {
      const field = fieldName(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`);
      message = `"${field}" is not a known field`;
    } else {
      message = at ? `"${at}" ${e.message ?? 'is invalid'}` : `the input ${e.message ?? 'is invalid'}`;
    }
    seen.add(message);
  }
  return [...seen].slice(0, 5).join('; ') || 'it does not match the schema';
}

/** `/tasks/0/id` → `tasks[0].id`. */
function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}
