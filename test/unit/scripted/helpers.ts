import Anthropic from '@anthropic-ai/sdk';
import { startScriptedServer, type ScriptedServer } from '../../../src/scripted/server';
import type { ScriptFile, ScriptTurn } from '../../../src/scripted/scriptTypes';

export const MODEL = 'claude-sonnet-5-5';

export function script(...turns: ScriptTurn[]): ScriptFile {
  return { version: 1, turns };
}

export function clientFor(server: { url: string }, agent = 'coder', task = 'T1'): Anthropic {
  return new Anthropic({
    apiKey: 'test',
    baseURL: server.url,
    maxRetries: 0,
    defaultHeaders: { 'x-munero-agent': agent, 'x-munero-task': task },
  });
}

/** Starts a server per test and closes it afterwards. */
export function useServer(): {
  start: (s: ScriptFile, opts?: { minCacheTokens?: number; latencyMs?: number }) => Promise<ScriptedServer>;
} {
  const started: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return {
    start: async (s, opts) => {
      const server = await startScriptedServer({ script: s, ...opts });
      started.push(server);
      return server;
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

/** The `error` object of an API error's JSON body. */
export function apiError(err: unknown): { type: string; message: string } {
  return (err as { error: { error: { type: string; message: string } } }).error.error;
}

export const hello = (text = 'hi'): Anthropic.MessageParam[] => [{ role: 'user', content: text }];
