/** The page's saved state (getState/setState), validated on the way in like any message. */
import { parsePanelState, type PanelState } from '../src/panel/protocol';
import type { VsCodeApi } from './messaging';

export const DEFAULT_STATE: PanelState = { version: 1, tab: 'operations' };

export class StateStore {
  private state: PanelState;

  constructor(private readonly api: Pick<VsCodeApi, 'getState' | 'setState'>) {
    this.state = parsePanelState(api.getState()) ?? DEFAULT_STATE;
  }

  get value(): PanelState {
    return this.state;
  }

  update(patch: Partial<Omit<PanelState, 'version'>>): void {
    this.state = { ...this.state, ...patch, version: 1 };
    this.api.setState(this.state);
  }
}
