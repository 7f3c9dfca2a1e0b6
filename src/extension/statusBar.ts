import * as vscode from 'vscode';
import { money } from './buildTree';
import { RUNNING_ELSEWHERE, type LiveBuild } from './liveBuild';

const ICONS: Record<string, string> = {
  running: '$(sync~spin)',
  [RUNNING_ELSEWHERE]: '$(eye)',
  verified: '$(check)',
  unmet: '$(warning)',
  paused: '$(debug-pause)',
  interrupted: '$(debug-pause)',
  cancelled: '$(circle-slash)',
  failed: '$(error)',
};

/** The build's state and cost, always in view; a click shows the progress panel. */
export class BuildStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('munero.status', vscode.StatusBarAlignment.Left, 50);
  private readonly listener: vscode.Disposable;

  constructor(private readonly live: LiveBuild) {
    this.item.name = 'Munero Build';
    this.item.command = 'munero.showProgress';
    this.listener = live.onDidChange(() => this.update());
    this.update();
  }

  update(): void {
    const state = this.live.state;
    if (!state) {
      this.item.hide();
      return;
    }
    const status = this.live.statusOf(state);
    // A build running elsewhere: a click follows it here.
    this.item.command = status === RUNNING_ELSEWHERE ? 'munero.watchBuild' : 'munero.showProgress';
    const running = state.plan ? Object.values(state.tasks).filter((t) => t.status === 'running').length : 0;
    const done = Object.values(state.tasks).filter((t) => t.status === 'done').length;
    const tasks = state.plan ? ` ${done}/${state.plan.tasks.length}` : '';
    this.item.text = `${ICONS[status] ?? '$(circle-outline)'} Munero: ${status}${status === 'running' ? tasks : ''} ${money(state.usage.costUsd)}`;
    this.item.tooltip = `Munero build ${state.id}: ${status}${state.stopReason ? ` — ${state.stopReason}` : ''}${running ? `\n${running} task running` : ''}\nClick to ${status === RUNNING_ELSEWHERE ? 'watch it here' : 'show progress'}.`;
    this.item.backgroundColor = status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : status === 'unmet' || status === 'paused' || status === 'interrupted' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}
