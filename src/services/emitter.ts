/**
 * A minimal event emitter with VS Code's `Event` shape (`event(listener) → { dispose }`), for
 * the vscode-free modules of the extension. A throwing listener does not stop the others.
 */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;
export type Subscribe<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();
  private disposed = false;

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  readonly event: Subscribe<T> = (listener) => {
    if (this.disposed) {
      return { dispose: () => undefined };
    }
    // Wrapped so the same function can subscribe twice and unsubscribe once each.
    const entry: Listener<T> = (value) => listener(value);
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

/** Disposes a list of disposables once, in reverse order of registration. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<D extends Disposable>(item: D): D {
    if (this.disposed) {
      item.dispose();
    } else {
      this.items.push(item);
    }
    return item;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const item of this.items.reverse()) {
      item.dispose();
    }
    this.items = [];
  }
}
