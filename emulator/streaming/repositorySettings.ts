/** Per-repository artifact streaming settings (Active = pushes are converted automatically). */
import { CONVERSION_FORMAT, CONVERSION_VERSION } from '../../src/core/mediaTypes';
import type { RepositorySettings } from '../state/stateModel';
import type { StateStore } from '../state/stateStore';

export class RepositorySettingsStore {
  constructor(private readonly store: StateStore) {}

  get(repository: string): RepositorySettings | undefined {
    return this.store.state.repositories[repository];
  }

  isActive(repository: string): boolean {
    return this.get(repository)?.convertPushedImages === true;
  }

  set(repository: string, convertPushedImages: boolean): RepositorySettings {
    const settings: RepositorySettings = convertPushedImages
      ? { convertPushedImages, conversionFormat: CONVERSION_FORMAT, conversionVersion: CONVERSION_VERSION, updatedTime: new Date().toISOString() }
      : { convertPushedImages, updatedTime: new Date().toISOString() };
    this.store.state.repositories[repository] = settings;
    this.store.changed();
    return settings;
  }

  /** ACR's GET shape: only `convertPushedImages` when off; format and version too when on. */
  view(repository: string): Record<string, unknown> {
    const settings = this.get(repository);
    return settings?.convertPushedImages
      ? { convertPushedImages: true, conversionFormat: settings.conversionFormat ?? CONVERSION_FORMAT, conversionVersion: settings.conversionVersion ?? CONVERSION_VERSION }
      : { convertPushedImages: false };
  }
}
