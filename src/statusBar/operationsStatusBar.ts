/** The status-bar item for running conversions: created once, updated from tracker events. */
import * as vscode from 'vscode';
import type { TrackedOperation, TrackerEvent } from '../core/tracker/trackedOperation';
import { statusBarModel } from './statusBarModel';

export interface StatusBarTracker {
  list(): TrackedOperation[];
  onEvent(listener: (event: TrackerEvent) => void): { dispose(): void };
}

export class OperationsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(private readonly tracker: StatusBarTracker) {
    this.item = vscode.window.createStatusBarItem('acrStreaming.conversions', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'ACR Streaming Conversions';
    this.item.command = 'acrStreaming.openStreamingPanel';
    this.subscription = tracker.onEvent(() => this.update());
    this.update();
  }

  private update(): void {
    const model = statusBarModel(this.tracker.list());
    if (!model.visible) {
      this.item.hide();
      return;
    }
    this.item.text = model.text;
    this.item.tooltip = model.tooltip;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
