/// <reference lib="dom" />
import './styles.css';
import type { PanelState, ToPanel } from '../../src/extension/protocol';
import { byId } from './dom';
import { PanelView } from './render/view';
import { applyPatch, restoreState } from './state';
import { post, vscode } from './vscodeApi';

const SAVE_DELAY_MS = 500;

// The last content shows at once on reload; the extension's reset then brings it up to date.
let state: PanelState = restoreState(vscode.getState());
const view = new PanelView(byId('app'), post);
view.reset(state);

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveSoon(): void {
  saveTimer ??= setTimeout(() => {
    saveTimer = undefined;
    vscode.setState(state);
  }, SAVE_DELAY_MS);
}

window.addEventListener('message', (ev: MessageEvent<ToPanel>) => {
  const msg = ev.data;
  if (msg?.type === 'reset') {
    state = msg.state;
    view.reset(state);
  } else if (msg?.type === 'patch') {
    const evicted = applyPatch(state, msg.patch);
    view.patch(state, msg.patch, evicted);
  } else {
    return;
  }
  saveSoon();
});

// A hidden panel's page is discarded (no retained context): save before it goes.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'hidden' || !saveTimer) return;
  clearTimeout(saveTimer);
  saveTimer = undefined;
  vscode.setState(state);
});

post({ type: 'ready' });
