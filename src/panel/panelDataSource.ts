/**
 * What the panel needs from the rest of the extension. The extension wires it to the core's
 * tracker and client; tests hand in a fake. Nothing here knows about VS Code.
 */
import type { Descriptor } from '../core/models';
import type { TrackedOperation } from '../core/tracker';

export type { TrackedOperation };

/** The extension backs this with the OperationTracker (`list`, `onEvent`) and the registry client. */
export interface PanelDataSource {
  listOperations(): TrackedOperation[];
  onDidChangeOperations(listener: () => void): { dispose(): void };
  listReferrers(loginServer: string, repository: string, digest: string, signal: AbortSignal): Promise<Descriptor[]>;
  cancelOperation(key: string): Promise<void>;
}
