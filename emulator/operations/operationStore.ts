/** All operations, by id and by image, kept in the persisted state. */
import { randomUUID } from 'node:crypto';
import { isOngoing } from '../../src/core/models';
import type { StateStore } from '../state/stateStore';
import { rfc3339Seconds, type OperationKind, type OperationRecord } from './operation';

const MAX_FINISHED = 5000;

export interface NewOperation {
  kind: OperationKind;
  repository: string;
  digest?: string;
  status: OperationRecord['status'];
  details: string;
  progress?: number;
  automatic?: boolean;
}

export type OperationListener = (operation: OperationRecord) => void;

export class OperationStore {
  private readonly byId = new Map<string, OperationRecord>();
  private readonly listeners = new Set<OperationListener>();

  constructor(private readonly store: StateStore) {
    for (const operation of store.state.operations) {
      this.byId.set(operation.id, operation);
    }
  }

  onChange(listener: OperationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  create(input: NewOperation): OperationRecord {
    const now = new Date();
    const operation: OperationRecord = {
      id: randomUUID(),
      kind: input.kind,
      repository: input.repository,
      digest: input.digest,
      status: input.status,
      progress: input.progress ?? 0,
      startTime: rfc3339Seconds(now),
      details: input.details,
      automatic: input.automatic,
      updatedTime: now.toISOString(),
    };
    this.byId.set(operation.id, operation);
    this.store.state.operations.push(operation);
    this.prune();
    this.changed(operation);
    return operation;
  }

  /** The operation `id` of `repository` (an id from another repository is unknown here, as in ACR). */
  get(repository: string, id: string): OperationRecord | undefined {
    const operation = this.byId.get(id);
    return operation && operation.repository === repository ? operation : undefined;
  }

  byIdAnyRepository(id: string): OperationRecord | undefined {
    return this.byId.get(id);
  }

  /** The most recent conversion of an image. */
  lastForDigest(repository: string, digest: string): OperationRecord | undefined {
    const list = this.store.state.operations;
    for (let i = list.length - 1; i >= 0; i--) {
      const op = list[i];
      if (op.kind === 'conversion' && op.repository === repository && op.digest === digest) {
        return op;
      }
    }
    return undefined;
  }

  ongoingForDigest(repository: string, digest: string): OperationRecord | undefined {
    const last = this.lastForDigest(repository, digest);
    return last && isOngoing(last.status) ? last : undefined;
  }

  ongoing(): OperationRecord[] {
    return this.store.state.operations.filter((op) => op.kind === 'conversion' && isOngoing(op.status));
  }

  update(id: string, patch: Partial<Pick<OperationRecord, 'status' | 'progress' | 'details' | 'error' | 'artifactDigest'>>): OperationRecord | undefined {
    const operation = this.byId.get(id);
    if (!operation) {
      return undefined;
    }
    Object.assign(operation, patch, { updatedTime: new Date().toISOString() });
    if (patch.error === undefined && 'error' in patch) {
      delete operation.error;
    }
    this.changed(operation);
    return operation;
  }

  private changed(operation: OperationRecord): void {
    this.store.changed();
    for (const listener of this.listeners) {
      listener(operation);
    }
  }

  private prune(): void {
    const list = this.store.state.operations;
    const finished = list.filter((op) => !isOngoing(op.status));
    if (finished.length <= MAX_FINISHED) {
      return;
    }
    const drop = new Set(finished.slice(0, finished.length - MAX_FINISHED).map((op) => op.id));
    this.store.state.operations = list.filter((op) => !drop.has(op.id));
    for (const id of drop) {
      this.byId.delete(id);
    }
  }
}
