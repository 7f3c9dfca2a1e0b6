// A real MCP server over stdio for the tests. argv[2] picks its behaviour:
//   normal        echo (read-only) and remember (not read-only)
//   crash-second  exits on its second tool call
//   hang          slow_tool never answers
//   bad-names     tools whose names the Messages API would reject, and one with a non-object schema
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const mode = process.argv[2] ?? 'normal';
const object = (properties = {}, required = []) => ({ type: 'object', properties, required });
const tools = {
  normal: [
    { name: 'echo', description: 'Echo text back', inputSchema: object({ text: { type: 'string' } }, ['text']), annotations: { readOnlyHint: true } },
    { name: 'remember', description: 'Store a fact', inputSchema: object({ fact: { type: 'string' } }, ['fact']) },
    { name: 'env', description: 'The environment names the server sees', inputSchema: object(), annotations: { readOnlyHint: true } },
  ],
  'crash-second': [{ name: 'echo', description: 'Echo, then crash next time', inputSchema: object({ text: { type: 'string' } }), annotations: { readOnlyHint: true } }],
  hang: [{ name: 'slow_tool', description: 'Never answers', inputSchema: object(), annotations: { readOnlyHint: true } }],
  'bad-names': [
    { name: 'do thing!', description: 'Spaces and punctuation', inputSchema: object(), annotations: { readOnlyHint: true } },
    { name: 'do_thing_', description: 'Sanitises to the same name as "do thing!"', inputSchema: object(), annotations: { readOnlyHint: true } },
    { name: 'x'.repeat(80), description: 'Too long', inputSchema: object(), annotations: { readOnlyHint: true } },
    { name: 'array_input', description: 'Not an object schema', inputSchema: { type: 'array' } },
  ],
}[mode];

let calls = 0;
const server = new Server({ name: `toy-${mode}`, version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  calls++;
  const args = req.params.arguments ?? {};
  if (mode === 'crash-second' && calls >= 2) {
    process.stderr.write('toy server: crashing on purpose (second call)\n');
    process.exit(3);
  }
  if (mode === 'hang') return new Promise(() => {});
  if (req.params.name === 'env') return { content: [{ type: 'text', text: Object.keys(process.env).sort().join(',') }] };
  if (req.params.name === 'remember') return { content: [{ type: 'text', text: `remembered ${args.fact}` }] };
  return { content: [{ type: 'text', text: `echo: ${args.text ?? req.params.name}` }, { type: 'image', data: 'AAAA', mimeType: 'image/png' }] };
});
process.stderr.write(`toy server (${mode}) up\n`);
await server.connect(new StdioServerTransport());
