// A real MCP server over HTTP for the tests: Streamable HTTP at /mcp, or (argv[2] = "sse") only the
// old HTTP+SSE transport at /sse + /messages. Prints its port on stdout.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const sseOnly = process.argv[2] === 'sse';
function makeServer() {
  const server = new Server({ name: 'toy-http', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'shout', description: 'Upper-cases text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }, annotations: { readOnlyHint: true } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => ({ content: [{ type: 'text', text: String(req.params.arguments?.text).toUpperCase() }] }));
  return server;
}

const sessions = new Map();
const sse = new Map();
const httpServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (sseOnly) {
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sse.set(transport.sessionId, transport);
      await makeServer().connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') return sse.get(url.searchParams.get('sessionId'))?.handlePostMessage(req, res);
    res.writeHead(404).end();
    return;
  }
  if (url.pathname !== '/mcp') return res.writeHead(404).end();
  const id = req.headers['mcp-session-id'];
  let transport = id && sessions.get(id);
  if (!transport) {
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => sessions.set(sid, transport) });
    await makeServer().connect(transport);
  }
  await transport.handleRequest(req, res);
});
httpServer.listen(0, '127.0.0.1', () => process.stdout.write(`${httpServer.address().port}\n`));
