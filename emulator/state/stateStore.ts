/**
 * Keeps the emulator's own state in `<dataDir>/state.json`: written atomically (temp file +
 * rename) and debounced, so a burst of changes (1,500 tag pushes) costs a few writes.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState, stateSchema, type EmulatorState } from './stateModel';

const DEBOUNCE_MS = 150;

export class StateStore {
  readonly path: string;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    dataDir: string,
    readonly state: EmulatorState,
    private readonly log: (line: string) => void,
  ) {
    this.path = join(dataDir, 'state.json');
  }

  static async load(dataDir: string, log: (line: string) => void): Promise<StateStore> {
    const path = join(dataDir, 'state.json');
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
    if (text === undefined) {
      return new StateStore(dataDir, emptyState(), log);
    }
    try {
      const parsed = stateSchema.parse(JSON.parse(text));
      return new StateStore(dataDir, parsed as EmulatorState, log);
    } catch (error) {
      // Keep the unreadable file for inspection and start afresh rather than refuse to start.
      const aside = `${path}.corrupt-${Date.now()}`;
      await rename(path, aside);
      log(`state.json could not be read (${error instanceof Error ? error.message : String(error)}); moved to ${aside}`);
      return new StateStore(dataDir, emptyState(), log);
    }
  }

  /** Call after changing `state`: it is saved shortly after. */
  changed(): void {
    if (this.closed || this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write()).catch((error: unknown) => {
        this.log(`could not save state.json: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, DEBOUNCE_MS);
  }

  /** Writes now (pending debounced write included) and stops further writes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writing;
    await this.write();
  }

  /** Last-chance synchronous save (process exit). */
  flushSync(): void {
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.path);
  }

  private async write(): Promise<void> {
    const tmp = `${this.path}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(this.state));
    await rename(tmp, this.path);
  }
}
