import * as vscode from 'vscode';
import type { McpPermissionRequest } from '../../core';

export interface PendingCall {
  id: number;
  request: McpPermissionRequest;
}

/**
 * `ask` in VS Code: each MCP call waiting for the user, shown under its agent in the Munero tree
 * (Allow / Deny on the row) and as a non-modal notification; the first answer counts. A call whose
 * agent is cancelled is answered "no". Each agent waits for its answer, so there are never more
 * open prompts than agents running.
 */
export class McpPrompts implements vscode.Disposable {
  private readonly pending = new Map<number, PendingCall & { settle: (yes: boolean) => void }>();
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  list(): PendingCall[] {
    return [...this.pending.values()].map(({ id, request }) => ({ id, request }));
  }

  readonly ask = (request: McpPermissionRequest): Promise<boolean> => {
    if (request.signal?.aborted) return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise<boolean>((resolve) => {
      const onAbort = () => this.answer(id, false);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        id,
        request,
        settle: (yes) => {
          request.signal?.removeEventListener('abort', onAbort);
          resolve(yes);
        },
      });
      this.changed.fire();
      void vscode.window.showInformationMessage(`Munero: ${describeCall(request)}`, 'Allow', 'Deny').then((choice) => this.answer(id, choice === 'Allow'));
    });
  };

  /** Answers a waiting call; false when it was answered already. */
  answer(id: number, yes: boolean): boolean {
    const call = this.pending.get(id);
    if (!call) return false;
    this.pending.delete(id);
    call.settle(yes);
    this.changed.fire();
    return true;
  }

  dispose(): void {
    for (const id of [...this.pending.keys()]) this.answer(id, false);
    this.changed.dispose();
  }
}

export function describeCall(r: McpPermissionRequest): string {
  const who = r.agentId ? `${r.agentId}${r.taskId ? ` (task ${r.taskId})` : ''}` : 'An agent';
  const input = JSON.stringify(r.input ?? {});
  return `${who} wants to call MCP tool ${r.tool} of server "${r.server}" with ${input.length > 200 ? `${input.slice(0, 200)}…` : input}`;
}
