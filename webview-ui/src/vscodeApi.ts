/// <reference lib="dom" />
import type { FromPanel, PanelState } from '../../src/extension/protocol';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The webview's one handle on VS Code; acquireVsCodeApi may be called only once per page. */
export const vscode: VsCodeApi = acquireVsCodeApi();

export function post(message: FromPanel): void {
  vscode.postMessage(message);
}
