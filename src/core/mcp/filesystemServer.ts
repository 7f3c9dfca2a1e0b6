import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { EDIT_FILE, LIST_FILES, READ_FILE, SEARCH_FILES, WRITE_FILE } from '../tools/definitions';
import { executeTool } from '../tools/executeTool';
import type { ToolContext } from '../tools/types';

/**
 * The bundled filesystem server. It runs in-process, on Munero's own file tools, rather than as the
 * reference server's child process: a write must become a proposed change in the calling agent's
 * ChangeSet (reviewed, checkpointed, rolled back like any other), which only code holding that
 * agent's sink can do. Reads and searches are confined to the workspace by the same door.
 */
const TOOLS = [
  { munero: LIST_FILES, name: 'list_directory', readOnly: true },
  { munero: READ_FILE, name: 'read_text_file', readOnly: true },
  { munero: SEARCH_FILES, name: 'search_files', readOnly: true },
  { munero: WRITE_FILE, name: 'write_file', readOnly: false },
  { munero: EDIT_FILE, name: 'edit_file', readOnly: false },
];

export const CALL_CONTEXT_META = 'munero/callContext';
const contexts = new Map<string, ToolContext>();
let nextId = 0;

/** Runs `call` with `ctx` findable by the id it is given (passed as request `_meta`). */
export async function withCallContext<T>(ctx: ToolContext | undefined, call: (id: string | undefined) => Promise<T>): Promise<T> {
  if (!ctx) return call(undefined);
  const id = String(++nextId);
  contexts.set(id, ctx);
  try {
    return await call(id);
  } finally {
    contexts.delete(id);
  }
}

export function createFilesystemServer(): Server {
  const server = new Server({ name: 'munero-filesystem', version: '0.1.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      description: t.munero.description,
      inputSchema: t.munero.input_schema,
      annotations: { readOnlyHint: t.readOnly },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = TOOLS.find((t) => t.name === req.params.name);
    const id = (req.params._meta as Record<string, unknown> | undefined)?.[CALL_CONTEXT_META];
    const ctx = typeof id === 'string' ? contexts.get(id) : undefined;
    if (!tool) return { content: [{ type: 'text', text: `Unknown tool ${req.params.name}` }], isError: true };
    if (!ctx) return { content: [{ type: 'text', text: 'The filesystem server answers only calls from a Munero agent in a build.' }], isError: true };
    const outcome = await executeTool(tool.munero.name, req.params.arguments ?? {}, ctx);
    return outcome.ok ? { content: [{ type: 'text', text: outcome.content }] } : { content: [{ type: 'text', text: outcome.error }], isError: true };
  });
  return server;
}
