/** One block of an MCP tool result, as the SDK gives it (loosely: servers send what they send). */
interface ResultBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; mimeType?: string; text?: string; blob?: string };
}

/**
 * An MCP `CallToolResult` as the text a Munero tool result carries: text as is, structured content
 * as JSON when there is no text, embedded resources with their URI, images and binary blobs named
 * with their size (the agent cannot use raw base64). The caller caps it like any tool result.
 */
export function resultText(result: { content?: unknown; structuredContent?: unknown; toolResult?: unknown }): string {
  const blocks = Array.isArray(result.content) ? (result.content as ResultBlock[]) : [];
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.type === 'text') parts.push(b.text ?? '');
    else if (b.type === 'image' || b.type === 'audio') parts.push(`[${b.type} ${b.mimeType ?? ''}, ${base64Bytes(b.data)} bytes, not shown]`);
    else if (b.type === 'resource') {
      const r = b.resource ?? {};
      parts.push(r.text !== undefined ? `[resource ${r.uri ?? ''}]\n${r.text}` : `[resource ${r.uri ?? ''} ${r.mimeType ?? ''}, ${base64Bytes(r.blob)} bytes, not shown]`);
    } else if (b.type === 'resource_link') parts.push(`[resource link ${b.uri ?? ''}${b.name ? ` (${b.name})` : ''}]`);
    else parts.push(`[${b.type} block]`);
  }
  if (parts.join('').trim() === '' && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  if (parts.length === 0 && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  return parts.join('\n');
}

function base64Bytes(data: string | undefined): number {
  return data ? Math.floor((data.length * 3) / 4) : 0;
}
