import type Anthropic from '@anthropic-ai/sdk';

const LIST_TIMEOUT_MS = 10_000;
const MAX_MODELS = 100;

/**
 * The models an endpoint offers (GET /v1/models), for a line about an unknown model. Bounded in
 * time and count; a failure is described, never thrown, since the line is worth more than the list.
 */
export async function describeModels(client: Anthropic): Promise<string> {
  try {
    const page = await client.models.list({ limit: MAX_MODELS }, { signal: AbortSignal.timeout(LIST_TIMEOUT_MS), maxRetries: 0 });
    const ids = page.data.map((m) => m.id);
    if (ids.length === 0) return 'the endpoint lists no models';
    return `models there: ${ids.join(', ')}${page.has_more ? ', …' : ''}`;
  } catch (err) {
    return `the model list (GET /v1/models) could not be read: ${(err as Error).message}`;
  }
}
