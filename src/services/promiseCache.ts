/**
 * Promises by key, shared by concurrent callers. A promise that rejects is dropped (unless it
 * was replaced meanwhile), so the next call tries again: a failure must not stick.
 */
export class PromiseCache<K, V> {
  private readonly entries = new Map<K, Promise<V>>();

  /** The cached promise for `key`, or the one `create` makes (and is cached). */
  get(key: K, create: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) {
      return cached;
    }
    const created = create();
    this.entries.set(key, created);
    created.catch(() => {
      if (this.entries.get(key) === created) {
        this.entries.delete(key);
      }
    });
    return created;
  }

  /** The cached promise, without creating one. */
  peek(key: K): Promise<V> | undefined {
    return this.entries.get(key);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }

  clear(): void {
    this.entries.clear();
  }
}
