import * as assert from 'node:assert/strict';
import { AcrStreamingError } from '../../../src/core/errors';
import type { Descriptor } from '../../../src/core/models';
import { PanelController, type PanelHostActions } from '../../../src/panel/panelController';
import type { PanelDataSource, TrackedOperation } from '../../../src/panel/panelDataSource';
import { parseHostMessage, type HostMessage, type OperationView } from '../../../src/panel/protocol';
import { FakeClock, flushPromises } from '../support/fakeClock';
import { DIGEST, OTHER_DIGEST, REQUEST, streamingDescriptor, STREAMING_DIGEST, tracked } from './fixtures';

interface ReferrersCall {
  args: [string, string, string];
  signal: AbortSignal;
  resolve(value: Descriptor[]): void;
  reject(error: unknown): void;
}

class FakeSource implements PanelDataSource {
  operations: TrackedOperation[] = [tracked()];
  listeners = new Set<() => void>();
  referrerCalls: ReferrersCall[] = [];
  cancelled: string[] = [];
  cancelError: unknown;

  listOperations(): TrackedOperation[] {
    return this.operations;
  }
  onDidChangeOperations(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  listReferrers(loginServer: string, repository: string, digest: string, signal: AbortSignal): Promise<Descriptor[]> {
    return new Promise((resolve, reject) => this.referrerCalls.push({ args: [loginServer, repository, digest], signal, resolve, reject }));
  }
  async cancelOperation(key: string): Promise<void> {
    this.cancelled.push(key);
    if (this.cancelError) {
      throw this.cancelError;
    }
  }
  change(operations: TrackedOperation[]): void {
    this.operations = operations;
    for (const listener of this.listeners) {
      listener();
    }
  }
}

class FakeActions implements PanelHostActions {
  copied: string[] = [];
  errors: OperationView[] = [];
  warnings: string[] = [];
  async copy(text: string): Promise<void> {
    this.copied.push(text);
  }
  showError(operation: OperationView): void {
    this.errors.push(operation);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}

const settle = flushPromises;

function setup() {
  const source = new FakeSource();
  const actions = new FakeActions();
  const clock = new FakeClock();
  const posted: HostMessage[] = [];
  const controller = new PanelController(
    source,
    async (message) => {
      // What the page would receive: JSON, as VS Code carries it.
      posted.push(JSON.parse(JSON.stringify(message)) as HostMessage);
      return true;
    },
    actions,
    { clock, updateIntervalMs: 250 },
  );
  return { source, actions, clock, posted, controller };
}

describe('PanelController', () => {
  it('posts nothing before the page is ready, then one init with the current operations', () => {
    const { source, posted, controller } = setup();
    source.change([tracked(), tracked({ key: 'k2', status: 'Failed', errorCode: 'UNSUPPORTED_PLATFORM', trackedAt: 0 })]);
    assert.equal(posted.length, 0);
    controller.handleMessage({ type: 'ready' });
    assert.equal(posted.length, 1);
    const init = posted[0];
    assert.ok(init?.type === 'init');
    assert.deepEqual(init.state.operations.map((op) => [op.key, op.status]), [
      [tracked().key, 'Running'],
      ['k2', 'Failed'],
    ]);
    assert.match(init.state.operations[1]?.errorHint ?? '', /linux\/amd64/);
    assert.equal(init.state.referrers, undefined);
    assert.ok(posted.every((m) => parseHostMessage(m)), 'everything posted passes the page-side check');
  });

  it('coalesces a burst of operation changes to at most one post per interval', async () => {
    const { source, clock, posted, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    posted.length = 0;
    for (let progress = 1; progress <= 40; progress++) {
      source.change([tracked({ progress })]);
      await clock.advance(10);
    }
    await clock.advance(500);
    const updates = posted.filter((m) => m.type === 'operations');
    // 400 ms of changes: at once, at 250 and a trailing one with the latest state.
    assert.equal(updates.length, 3);
    const last = updates.at(-1);
    assert.equal(last?.type === 'operations' && last.operations[0]?.progress, 40);
  });

  it('drops invalid page messages and says so without echoing them', () => {
    const { posted, actions, controller, source } = setup();
    controller.handleMessage({ type: 'ready' });
    posted.length = 0;
    controller.handleMessage({ type: 'cancelOperation', key: 'k' });
    controller.handleMessage({ type: 'runCommand', command: 'rm -rf' });
    controller.handleMessage('<script>');
    assert.equal(posted.length, 0);
    assert.deepEqual(source.cancelled, []);
    assert.equal(actions.warnings.length, 3);
    assert.ok(actions.warnings.every((w) => !w.includes('rm -rf') && !w.includes('<script>')));
  });

  it('cancels through the source and replies with the request id', async () => {
    const { source, posted, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'cancelOperation', requestId: 'r7', key: tracked().key });
    await settle();
    assert.deepEqual(source.cancelled, [tracked().key]);
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 'r7', ok: true });
  });

  it('replies with the error code and advice when a cancel fails', async () => {
    const { source, posted, controller } = setup();
    source.cancelError = new AcrStreamingError('DENIED', 'You may not cancel this.', { hint: 'Ask for push rights.' });
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'cancelOperation', requestId: 'r8', key: tracked().key });
    await settle();
    assert.deepEqual(posted.at(-1), { type: 'reply', requestId: 'r8', ok: false, error: { code: 'DENIED', message: 'You may not cancel this. Ask for push rights.' } });
  });

  it('loads referrers for the page: accepted, loading, then loaded views', async () => {
    const { source, posted, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    posted.length = 0;
    controller.handleMessage({ type: 'showReferrers', requestId: 'r1', ...REQUEST });
    assert.deepEqual(posted[0], { type: 'reply', requestId: 'r1', ok: true });
    assert.deepEqual(posted[1], { type: 'referrers', request: REQUEST, status: 'loading' });
    const call = source.referrerCalls[0];
    assert.deepEqual(call?.args, ['myreg.azurecr.io', 'samples/hello', DIGEST]);
    call?.resolve([streamingDescriptor()]);
    await settle();
    const loaded = posted[2];
    assert.ok(loaded?.type === 'referrers' && loaded.status === 'loaded');
    assert.equal(loaded.referrers?.[0]?.digest, STREAMING_DIGEST);
    assert.equal(loaded.referrers?.[0]?.created, '2025-04-28T04:00:00Z');
    assert.deepEqual(controller.referrersState?.request, REQUEST);
  });

  it('aborts a referrers request when another one starts, and never shows its late result', async () => {
    const { source, posted, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'showReferrers', requestId: 'r1', ...REQUEST });
    controller.handleMessage({ type: 'showReferrers', requestId: 'r2', ...REQUEST, digest: OTHER_DIGEST });
    const [first, second] = source.referrerCalls;
    assert.equal(first?.signal.aborted, true);
    assert.equal(second?.signal.aborted, false);
    second?.resolve([]);
    first?.resolve([streamingDescriptor()]);
    await settle();
    const last = posted.at(-1);
    assert.ok(last?.type === 'referrers');
    assert.equal(last.request.digest, OTHER_DIGEST);
    assert.deepEqual(last.referrers, []);
    assert.ok(!posted.some((m) => m.type === 'referrers' && m.request.digest === DIGEST && m.status === 'loaded'));
  });

  it('shows a failed listing as an error with its code', async () => {
    const { source, posted, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'showReferrers', requestId: 'r1', ...REQUEST });
    source.referrerCalls[0]?.reject(new AcrStreamingError('UNAUTHORIZED', 'Sign in to myreg.azurecr.io.'));
    await settle();
    assert.deepEqual(posted.at(-1), { type: 'referrers', request: REQUEST, status: 'error', error: { code: 'UNAUTHORIZED', message: 'Sign in to myreg.azurecr.io.' } });
  });

  it('opens on an image from a command: the init carries its referrers and the Referrers tab', async () => {
    const { source, posted, controller } = setup();
    assert.equal(controller.showReferrers(REQUEST), true);
    source.referrerCalls[0]?.resolve([streamingDescriptor()]);
    await settle();
    assert.equal(posted.length, 0);
    controller.handleMessage({ type: 'ready' });
    const init = posted[0];
    assert.ok(init?.type === 'init');
    assert.equal(init.state.tab, 'referrers');
    assert.equal(init.state.referrers?.status, 'loaded');
    // Once the page is up, a new focus asks it to reveal the tab.
    controller.showReferrers({ ...REQUEST, digest: OTHER_DIGEST });
    assert.deepEqual(posted.at(-1), { type: 'referrers', reveal: true, request: { ...REQUEST, digest: OTHER_DIGEST }, status: 'loading' });
  });

  it('refuses an invalid request from a command', () => {
    const { source, actions, controller } = setup();
    assert.equal(controller.showReferrers({ ...REQUEST, digest: 'latest' }), false);
    assert.equal(source.referrerCalls.length, 0);
    assert.equal(actions.warnings.length, 1);
  });

  it('stops posting while the page is hidden and catches it up with init when it is back', async () => {
    const { source, posted, controller, clock } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'showReferrers', requestId: 'r1', ...REQUEST });
    controller.pageHidden();
    posted.length = 0;
    source.referrerCalls[0]?.resolve([streamingDescriptor()]);
    source.change([tracked({ status: 'Succeeded', progress: 100 })]);
    controller.handleMessage({ type: 'cancelOperation', requestId: 'r2', key: tracked().key });
    await settle();
    await clock.advance(1000);
    assert.equal(posted.length, 0);
    controller.handleMessage({ type: 'ready' });
    const init = posted[0];
    assert.ok(init?.type === 'init');
    assert.equal(init.state.operations[0]?.status, 'Succeeded');
    assert.equal(init.state.referrers?.status, 'loaded');
    assert.equal(init.state.tab, undefined, 'a page that comes back keeps its own tab');
    assert.deepEqual(posted[1], { type: 'reply', requestId: 'r2', ok: true });
  });

  it('passes copy and openError to the host actions', async () => {
    const { actions, controller } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'copy', text: DIGEST });
    controller.handleMessage({ type: 'openError', key: tracked().key });
    controller.handleMessage({ type: 'openError', key: 'gone' });
    await settle();
    assert.deepEqual(actions.copied, [DIGEST]);
    assert.deepEqual(actions.errors.map((op) => op.key), [tracked().key]);
    assert.equal(actions.warnings.length, 1);
  });

  it('does not post a message the page would reject', () => {
    const { source, posted, actions, controller } = setup();
    source.operations = [tracked({ status: 'Exploded' as TrackedOperation['status'] })];
    controller.handleMessage({ type: 'ready' });
    assert.equal(posted.length, 0);
    assert.match(actions.warnings[0] ?? '', /invalid init/);
  });

  it('on dispose aborts the listing, unsubscribes and goes quiet', async () => {
    const { source, posted, controller, clock } = setup();
    controller.handleMessage({ type: 'ready' });
    controller.handleMessage({ type: 'showReferrers', requestId: 'r1', ...REQUEST });
    source.change([tracked({ progress: 50 })]);
    source.change([tracked({ progress: 60 })]);
    posted.length = 0;
    controller.dispose();
    controller.dispose();
    assert.equal(source.referrerCalls[0]?.signal.aborted, true);
    assert.equal(source.listeners.size, 0);
    source.referrerCalls[0]?.resolve([]);
    controller.handleMessage({ type: 'ready' });
    await clock.advance(1000);
    await settle();
    assert.equal(posted.length, 0);
    assert.equal(clock.pendingTimers, 0);
  });
});
