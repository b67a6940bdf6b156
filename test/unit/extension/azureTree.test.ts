import * as assert from 'node:assert/strict';
import type { AzureRegistry, AzureSubscription } from '../../../src/core/azure/models';
import { AcrStreamingError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import type { PageOptions, Page, TagInfo } from '../../../src/core/models';
import type { AzureNode, MessageNode, RegistryNode, RepositoryNode, SubscriptionNode, TagNode, TreeNode } from '../../../src/tree/nodes';
import { RegistryTreeModel, type AzureSubscriptionListing, type AzureTreeSource, type TreeSession } from '../../../src/tree/registryTreeModel';
import { azureRegistry, deferred, SUB_A, SUB_B, subscription, TENANT_1, TENANT_2 } from './azureFakes';
import { describeNode } from '../../../src/tree/treeItemModel';
import { DIGEST_A, FakeRegistry, FakeStreaming, settle } from './fakes';

/** A registry whose tag listing waits for `gate` when one is set. */
class GatedRegistry extends FakeRegistry {
  gate?: Promise<void>;
  override async listTags(repository: string, options?: PageOptions): Promise<Page<TagInfo>> {
    await this.gate;
    return super.listTags(repository, options);
  }
}

class FakeAzureSource implements AzureTreeSource {
  shown = true;
  accountLabel: string | undefined = 'alice@contoso.com';
  listing: AzureSubscriptionListing = { subscriptions: [], hidden: 0, failedTenants: [] };
  listingError?: Error;
  readonly registryLists = new Map<string, AzureRegistry[] | Error>();
  subscriptionCalls = 0;
  readonly registryCalls: string[] = [];
  forgets = 0;

  visible(): boolean {
    return this.shown;
  }
  account(): string | undefined {
    return this.accountLabel;
  }
  cloudName(): string {
    return 'Azure';
  }
  async subscriptions(): Promise<AzureSubscriptionListing> {
    this.subscriptionCalls++;
    if (this.listingError) {
      throw this.listingError;
    }
    return this.listing;
  }
  async registries(s: AzureSubscription): Promise<AzureRegistry[]> {
    this.registryCalls.push(s.subscriptionId);
    const found = this.registryLists.get(s.subscriptionId) ?? [];
    if (found instanceof Error) {
      throw found;
    }
    return found;
  }
  forget(): void {
    this.forgets++;
  }
}

const PROD = subscription(SUB_A, 'Prod', TENANT_1);
const DEV = subscription(SUB_B, 'Dev', TENANT_2);
const SHARED = 'shared.azurecr.io';

function harness(options: { manual?: string[]; coalesceMs?: number } = {}) {
  const azure = new FakeAzureSource();
  const registries = new Map<string, GatedRegistry>();
  const streamings = new Map<string, FakeStreaming>();
  const sessionCalls: string[] = [];
  const sessionFor = (loginServer: string): TreeSession => {
    let registry = registries.get(loginServer);
    if (!registry) {
      registry = new GatedRegistry(loginServer);
      registries.set(loginServer, registry);
    }
    let streaming = streamings.get(loginServer);
    if (!streaming) {
      streaming = new FakeStreaming(loginServer);
      streamings.set(loginServer, streaming);
    }
    return { registry, streaming, loadBadge: async () => ({ kind: 'not-converted' }) };
  };
  const model = new RegistryTreeModel({
    registries: () => (options.manual ?? []).map((loginServer) => ({ loginServer, authLabel: 'anonymous' })),
    azure,
    session: async (loginServer) => {
      sessionCalls.push(loginServer);
      return sessionFor(loginServer);
    },
    forgetBadge: () => undefined,
    pageSize: () => 100,
    logger: silentLogger,
    coalesceMs: options.coalesceMs ?? 5,
  });
  const changes: Array<TreeNode[] | undefined> = [];
  model.onDidChange((nodes) => changes.push(nodes));
  /** The fake registry behind a login server (created on first use). */
  const registry = (loginServer: string): GatedRegistry => {
    sessionFor(loginServer);
    return registries.get(loginServer)!;
  };
  /** The fake streaming API behind a login server (created on first use). */
  const streaming = (loginServer: string): FakeStreaming => {
    sessionFor(loginServer);
    return streamings.get(loginServer)!;
  };
  return { model, azure, registry, streaming, sessionCalls, changes };
}

async function azureRoot(h: ReturnType<typeof harness>): Promise<AzureNode> {
  const [first] = await h.model.children();
  assert.equal(first?.kind, 'azure');
  return first as AzureNode;
}

function only<T extends TreeNode['kind']>(nodes: TreeNode[], kind: T): Array<Extract<TreeNode, { kind: T }>> {
  return nodes.filter((n): n is Extract<TreeNode, { kind: T }> => n.kind === kind);
}

/** How many change events named `node`. */
function timesChanged(changes: Array<TreeNode[] | undefined>, node: TreeNode): number {
  return changes.filter((c) => c?.includes(node)).length;
}

describe('registry tree model: Azure', () => {
  it('puts the Azure node first, only while it is visible', async () => {
    const h = harness({ manual: ['a.example.io', 'b.example.io'] });
    const roots = await h.model.children();
    assert.deepEqual(
      roots.map((r) => r.kind),
      ['azure', 'registry', 'registry'],
    );
    assert.equal((roots[0] as AzureNode).account, 'alice@contoso.com');
    assert.equal((roots[0] as AzureNode).cloud, 'Azure');
    assert.equal(h.model.azureRoot(), roots[0]);
    h.azure.shown = false;
    assert.deepEqual(
      (await h.model.children()).map((r) => r.id),
      ['registry:a.example.io', 'registry:b.example.io'],
    );
    assert.equal(h.model.azureRoot(), undefined);
    h.model.dispose();
  });

  it('offers "Sign in to Azure…" when signed out, without listing anything', async () => {
    const h = harness();
    h.azure.accountLabel = undefined;
    const azure = await azureRoot(h);
    assert.equal(azure.account, undefined);
    const children = await h.model.children(azure);
    assert.equal(children.length, 1);
    const message = children[0] as MessageNode;
    assert.equal(message.kind, 'message');
    assert.equal(message.text, 'Sign in to Azure…');
    assert.equal(message.severity, 'signin');
    assert.equal(message.action, 'signInToAzure');
    assert.equal(h.azure.subscriptionCalls, 0);
    h.model.dispose();
  });

  it('lists subscriptions (with tenant names) and failed tenants as error rows', async () => {
    const h = harness();
    h.azure.listing = {
      subscriptions: [DEV, PROD],
      tenantLabels: new Map([
        [TENANT_1, 'Contoso'],
        [TENANT_2, 'Fabrikam'],
      ]),
      hidden: 0,
      failedTenants: [
        { tenantId: 'woodgrove-id', label: 'Woodgrove', reason: 'Tenant Woodgrove needs a separate sign-in.', signInNeeded: true },
        { tenantId: 'litware-id', label: 'Litware', reason: 'ARM answered 500.', signInNeeded: false },
      ],
    };
    const children = await h.model.children(await azureRoot(h));
    const subs = only(children, 'subscription');
    assert.deepEqual(
      subs.map((s) => [s.subscription.displayName, s.tenantLabel]),
      [
        ['Dev', 'Fabrikam'],
        ['Prod', 'Contoso'],
      ],
    );
    assert.equal(subs[0].parent, h.model.azureRoot());
    const [signIn, error] = only(children, 'message');
    // A tenant that needs its own sign-in offers it, for that tenant; another failure just says why.
    assert.equal(signIn.severity, 'signin');
    assert.equal(signIn.action, 'signInToAzure');
    assert.equal(signIn.tenantId, 'woodgrove-id');
    assert.match(signIn.text, /^Woodgrove: sign in/);
    assert.match(signIn.detail ?? '', /separate sign-in/);
    assert.equal(error.severity, 'error');
    assert.equal(error.action, undefined);
    assert.match(error.text, /^Litware: not available/);
    assert.deepEqual(children.slice(-2), [signIn, error], 'failures come after the subscriptions');
    h.model.dispose();
  });

  it('says so when the filter hides every subscription, with a way to select them', async () => {
    const h = harness();
    h.azure.listing = { subscriptions: [], hidden: 3, failedTenants: [] };
    const [message] = (await h.model.children(await azureRoot(h))) as MessageNode[];
    assert.equal(message.kind, 'message');
    assert.equal(message.action, 'selectSubscriptions');
    assert.match(message.text, /All 3 subscriptions are filtered out/);

    const none = harness();
    none.azure.listing = { subscriptions: [], hidden: 0, failedTenants: [] };
    const [empty] = (await none.model.children(await azureRoot(none))) as MessageNode[];
    assert.equal(empty.action, undefined);
    assert.match(empty.text, /No subscriptions/);
    h.model.dispose();
    none.model.dispose();
  });

  it('turns a failed subscription listing into a sign-in row (401) or an error row', async () => {
    const h = harness();
    h.azure.listingError = new AcrStreamingError('UNAUTHORIZED', 'The session expired.');
    const [signin] = (await h.model.children(await azureRoot(h))) as MessageNode[];
    assert.equal(signin.action, 'signInToAzure');

    const other = harness();
    other.azure.listingError = new AcrStreamingError('NETWORK', 'management.azure.com is unreachable.');
    const [error] = (await other.model.children(await azureRoot(other))) as MessageNode[];
    assert.equal(error.severity, 'error');
    assert.equal(error.action, undefined);
    assert.match(error.text, /unreachable/);
    h.model.dispose();
    other.model.dispose();
  });

  it("lists a subscription's registries as registry nodes carrying the ARM resource and the subscription", async () => {
    const h = harness();
    h.azure.listing = { subscriptions: [PROD], hidden: 0, failedTenants: [] };
    const arm = azureRegistry('Shared', SUB_A);
    h.azure.registryLists.set(SUB_A, [arm]);
    const [sub] = (await h.model.children(await azureRoot(h))) as SubscriptionNode[];
    const [registry] = (await h.model.children(sub)) as RegistryNode[];
    assert.equal(registry.kind, 'registry');
    assert.equal(registry.loginServer, SHARED);
    assert.equal(registry.azure, arm);
    assert.equal(registry.parent, sub);
    assert.deepEqual(h.azure.registryCalls, [SUB_A]);

    h.registry(SHARED).repositories = ['app'];
    h.registry(SHARED).tags.set('app', [{ name: '1.0', digest: DIGEST_A }]);
    const [repo] = (await h.model.children(registry)) as RepositoryNode[];
    assert.equal(repo.repository, 'app');
    assert.equal(repo.parent, registry);
    const [tag] = (await h.model.children(repo)) as TagNode[];
    assert.equal(tag.tag, '1.0');
    assert.ok(h.sessionCalls.length >= 2 && h.sessionCalls.every((l) => l === SHARED), 'loaded through session(loginServer)');

    const empty = harness();
    empty.azure.listing = { subscriptions: [DEV], hidden: 0, failedTenants: [] };
    const [devSub] = (await empty.model.children(await azureRoot(empty))) as SubscriptionNode[];
    const [message] = (await empty.model.children(devSub)) as MessageNode[];
    assert.match(message.text, /No container registries/);
    h.model.dispose();
    empty.model.dispose();
  });

  it('does not ask a registry Azure says cannot stream for its repositories\' streaming state', async () => {
    const h = harness();
    h.azure.listing = { subscriptions: [PROD], hidden: 0, failedTenants: [] };
    h.azure.registryLists.set(SUB_A, [azureRegistry('Shared', SUB_A, { sku: 'Standard' })]);
    const [sub] = (await h.model.children(await azureRoot(h))) as SubscriptionNode[];
    const [registry] = (await h.model.children(sub)) as RegistryNode[];
    h.registry(SHARED).repositories = ['app'];
    h.registry(SHARED).tags.set('app', [{ name: '1.0', digest: DIGEST_A }]);
    const [repo] = (await h.model.children(registry)) as RepositoryNode[];
    const [tag] = (await h.model.children(repo)) as TagNode[];
    await settle();
    assert.equal(repo.autoConversion, undefined);
    assert.deepEqual(h.streaming(SHARED).calls, [], 'no streaming call at all: no state, no badge');
    assert.equal(tag.badge, undefined);
    assert.match(tag.blocked ?? '', /Premium/);
    assert.equal(describeNode(tag).contextValue, 'tag.blocked');
    assert.equal(describeNode(tag).description, 'no streaming');

    // A Premium one is asked.
    const premium = harness();
    premium.azure.listing = { subscriptions: [PROD], hidden: 0, failedTenants: [] };
    premium.azure.registryLists.set(SUB_A, [azureRegistry('Shared', SUB_A)]);
    const [premiumSub] = (await premium.model.children(await azureRoot(premium))) as SubscriptionNode[];
    const [premiumRegistry] = (await premium.model.children(premiumSub)) as RegistryNode[];
    premium.registry(SHARED).repositories = ['app'];
    await premium.model.children(premiumRegistry);
    await settle();
    assert.deepEqual(premium.streaming(SHARED).calls.filter((c) => c.startsWith('getRepositoryState')), ['getRepositoryState app']);
    h.model.dispose();
    premium.model.dispose();
  });

  /** The same registry listed by hand and under a subscription, expanded down to its tag in both. */
  async function bothPlacements() {
    const h = harness({ manual: [SHARED] });
    h.azure.listing = { subscriptions: [PROD], hidden: 0, failedTenants: [] };
    h.azure.registryLists.set(SUB_A, [azureRegistry('shared', SUB_A)]);
    h.registry(SHARED).repositories = ['app'];
    h.registry(SHARED).tags.set('app', [{ name: '1.0', digest: DIGEST_A }]);
    const roots = await h.model.children();
    const manual = roots.find((r): r is RegistryNode => r.kind === 'registry')!;
    const [sub] = (await h.model.children(roots[0])) as SubscriptionNode[];
    const [discovered] = (await h.model.children(sub)) as RegistryNode[];
    const [manualRepo] = (await h.model.children(manual)) as RepositoryNode[];
    const [discoveredRepo] = (await h.model.children(discovered)) as RepositoryNode[];
    const [manualTag] = (await h.model.children(manualRepo)) as TagNode[];
    const [discoveredTag] = (await h.model.children(discoveredRepo)) as TagNode[];
    await settle();
    h.model.flushChanges();
    h.changes.length = 0;
    return { h, sub, manual, discovered, manualRepo, discoveredRepo, manualTag, discoveredTag };
  }

  it('gives the two placements of one registry distinct node ids, down to repositories and tags', async () => {
    const t = await bothPlacements();
    assert.equal(t.manual.loginServer, t.discovered.loginServer);
    const pairs: Array<[TreeNode, TreeNode]> = [
      [t.manual, t.discovered],
      [t.manualRepo, t.discoveredRepo],
      [t.manualTag, t.discoveredTag],
    ];
    for (const [a, b] of pairs) {
      assert.notEqual(a.id, b.id, `${a.kind} ids differ`);
    }
    assert.ok(t.discoveredTag.id.startsWith(t.discovered.id), 'ids extend their parent');
    assert.deepEqual(
      new Set(t.h.model.registryNodes()),
      new Set([t.manual, t.discovered]),
      'registryNodes() lists both',
    );
    t.h.model.dispose();
  });

  it('reaches repositories and tags under both placements with setAutoConversion and tagNodesFor', async () => {
    const t = await bothPlacements();
    assert.deepEqual(new Set(t.h.model.repositoryNodesFor(SHARED, 'app')), new Set([t.manualRepo, t.discoveredRepo]));
    t.h.model.setAutoConversion(SHARED, 'app', true);
    assert.equal(t.manualRepo.autoConversion, true);
    assert.equal(t.discoveredRepo.autoConversion, true);
    t.h.model.flushChanges();
    assert.deepEqual(new Set(t.h.changes.flatMap((c) => c ?? [])), new Set([t.manualRepo, t.discoveredRepo]));
    assert.deepEqual(new Set(t.h.model.tagNodesFor(SHARED, 'app', DIGEST_A)), new Set([t.manualTag, t.discoveredTag]));
    t.h.model.setBadge(SHARED, 'app', DIGEST_A, { kind: 'streamed', artifacts: [] });
    assert.equal(t.discoveredTag.badge?.kind, 'streamed');
    assert.equal(t.manualTag.badge?.kind, 'streamed');
    t.h.model.dispose();
  });

  it('drops what Azure discovered when the Azure node, a subscription or everything is refreshed', async () => {
    const t = await bothPlacements();
    const { h } = t;
    const azure = h.model.azureRoot()!;
    assert.equal(h.azure.forgets, 0);
    h.model.refresh(azure);
    assert.equal(h.azure.forgets, 1);
    await h.model.children(azure);
    assert.equal(h.azure.subscriptionCalls, 2, 'the subscriptions are listed again');
    h.model.refresh(t.manual);
    assert.equal(h.azure.forgets, 1, 'a manual registry is not Azure');
    h.model.refresh(t.sub);
    assert.equal(h.azure.forgets, 2);
    h.model.refresh();
    assert.equal(h.azure.forgets, 3);
    h.model.flushChanges();
    h.model.dispose();
  });

  it('holds back a change of a node whose children are being fetched, then reports it once', async () => {
    const h = harness({ coalesceMs: 1 });
    h.azure.listing = { subscriptions: [PROD], hidden: 0, failedTenants: [] };
    h.azure.registryLists.set(SUB_A, [azureRegistry('shared', SUB_A)]);
    h.registry(SHARED).repositories = ['app'];
    h.registry(SHARED).tags.set('app', [{ name: '1.0', digest: DIGEST_A }]);
    const [sub] = (await h.model.children(await azureRoot(h))) as SubscriptionNode[];
    const [registry] = (await h.model.children(sub)) as RegistryNode[];
    const [repo] = (await h.model.children(registry)) as RepositoryNode[];
    await settle();
    h.model.flushChanges();
    h.changes.length = 0;

    const gate = deferred<void>();
    h.registry(SHARED).gate = gate.promise;
    const fetching = h.model.children(repo);
    await settle();
    h.model.setAutoConversion(SHARED, 'app', true);
    h.model.changed(repo);
    h.model.flushChanges();
    await settle();
    h.model.flushChanges();
    assert.equal(timesChanged(h.changes, repo), 0, 'not reported while its tags are being fetched');
    assert.equal(repo.autoConversion, true, 'the node itself is updated at once');

    gate.resolve();
    const tags = await fetching;
    assert.equal(tags.length, 1);
    await settle();
    h.model.flushChanges();
    assert.equal(timesChanged(h.changes, repo), 1, 'reported once the fetch settled');
    await settle();
    h.model.flushChanges();
    assert.equal(timesChanged(h.changes, repo), 1, 'and only once');
    h.model.dispose();
  });
});
