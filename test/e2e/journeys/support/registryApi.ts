// The registry's own answer, read beside the UI: what a journey shows must match what the
// emulator holds (e.g. "nothing was started" is checked here, not only on screen).
import type { EmulatorHandle } from '../../../../emulator';
import { connect } from '../../../../src/core/connect';
import type { RegistryConnection } from '../../../../src/core/connection';
import type { StreamingOperation } from '../../../../src/core/models';
import { parseRegistry } from '../../../../src/core/reference';
import { pushImage } from '../../../integration/emulator/support/registryPush';

export class RegistryApi {
  readonly connection: RegistryConnection;

  constructor(private readonly emulator: EmulatorHandle) {
    this.connection = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password }, { maxRetries: 1, retryDelayMs: 100 });
  }

  digestOf(repository: string, tag: string): Promise<string> {
    return this.connection.registry.resolveDigest(repository, tag);
  }

  async lastOperation(repository: string, tag: string): Promise<StreamingOperation | undefined> {
    return this.connection.streaming.getLastOperation(repository, await this.digestOf(repository, tag));
  }

  async autoConversion(repository: string): Promise<boolean> {
    return (await this.connection.streaming.getRepositoryState(repository)).convertPushedImages;
  }

  /** Every tag of `repository`. */
  async tags(repository: string): Promise<string[]> {
    const names: string[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.connection.registry.listTags(repository, { pageSize: 100, continuation });
      names.push(...page.items.map((tag) => tag.name));
      continuation = page.continuation;
    } while (continuation);
    return names;
  }

  /** Streaming artifacts (referrers of the streaming artifact type) of `repository:tag`. */
  async streamingReferrers(repository: string, tag: string): Promise<string[]> {
    const referrers = await this.connection.streaming.listReferrers(repository, await this.digestOf(repository, tag), {
      artifactType: 'application/vnd.azure.artifact.streaming.v1',
    });
    return referrers.map((r) => r.digest);
  }

  /** Pushes a small linux/amd64 image (random layers, so a new digest) as `repository:tag`. */
  async push(repository: string, tag: string, layerSizes = [256 * 1024]): Promise<string> {
    const pushed = await pushImage({ url: this.emulator.url, username: this.emulator.username, password: this.emulator.password }, repository, tag, { layerSizes });
    return pushed.digest;
  }
}
