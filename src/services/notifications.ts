/** Toasts when a tracked conversion ends, each with the action that helps next. */
import * as vscode from 'vscode';
import type { TrackerEvent } from '../core/tracker/trackedOperation';
import { notificationFor } from './operationNotifications';

export function showOperationNotifications(tracker: { onEvent(listener: (event: TrackerEvent) => void): vscode.Disposable }): vscode.Disposable {
  return tracker.onEvent((event) => {
    const notification = notificationFor(event);
    if (!notification) {
      return;
    }
    const titles = notification.actions.map((action) => action.title);
    const shown = notification.severity === 'error' ? vscode.window.showErrorMessage(notification.message, ...titles) : vscode.window.showInformationMessage(notification.message, ...titles);
    // Don't wait: a toast stays until the user acts on it or it times out.
    void Promise.resolve(shown).then((choice) => {
      const action = notification.actions.find((candidate) => candidate.title === choice);
      return action ? vscode.commands.executeCommand(action.command, ...action.args) : undefined;
    });
  });
}
