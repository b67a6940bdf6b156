import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContextValue, MenuPattern } from '../../../src/tree/contextValues';
import {
  createAzureNode,
  createAzureRegistryNode,
  createMessageNode,
  createRegistryNode,
  createRepositoryNode,
  createSubscriptionNode,
  type RegistryNode,
} from '../../../src/tree/nodes';
import { describeNode } from '../../../src/tree/treeItemModel';
import { azureRegistry, SUB_A, subscription, TENANT_1 } from './azureFakes';

interface MenuEntry {
  command: string;
  when?: string;
}

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, MenuEntry[]> };
};

/** The commands package.json's item context menus offer on a node with this contextValue. */
function commandsFor(contextValue: string): string[] {
  const commands = new Set<string>();
  for (const entry of pkg.contributes.menus['view/item/context']) {
    const match = /viewItem =~ \/(.+)\/$/.exec(entry.when ?? '');
    assert.ok(match, `${entry.command}: menu entry without a viewItem regex`);
    if (new RegExp(match[1]).test(contextValue)) {
      commands.add(entry.command);
    }
  }
  return [...commands].sort();
}

function signedInAzure() {
  const azure = createAzureNode('Azure');
  azure.account = 'alice@contoso.com';
  return azure;
}

const PROD = subscription(SUB_A, 'Production', TENANT_1);

function discovered(overrides: Parameters<typeof azureRegistry>[2] = {}): RegistryNode {
  const sub = createSubscriptionNode(signedInAzure(), PROD, 'Contoso');
  return createAzureRegistryNode(sub, azureRegistry('MyRegistry', SUB_A, overrides));
}

describe('tree item model: Azure', () => {
  it('shows the Azure node signed out and signed in', () => {
    const out = describeNode(createAzureNode('Azure China (21Vianet)'));
    assert.equal(out.label, 'Azure China (21Vianet)');
    assert.equal(out.contextValue, 'azure.signedOut');
    assert.equal(out.description, 'not signed in');
    assert.equal(out.collapsible, 'collapsed');
    assert.match(out.tooltip, /Sign in/);

    const inn = describeNode(signedInAzure());
    assert.equal(inn.contextValue, 'azure.signedIn');
    assert.equal(inn.description, 'alice@contoso.com');
    assert.match(inn.tooltip, /alice@contoso\\\.com/, 'the account is escaped in Markdown');
    assert.match(inn.tooltip, /Select Subscriptions/);
  });

  it('shows a subscription by name, with its tenant as the description when given', () => {
    const item = describeNode(createSubscriptionNode(signedInAzure(), PROD, 'Contoso'));
    assert.equal(item.label, 'Production');
    assert.equal(item.description, 'Contoso');
    assert.equal(item.contextValue, 'subscription');
    assert.equal(item.id, `azure/${SUB_A}`);
    assert.match(item.tooltip, new RegExp(SUB_A));
    assert.match(item.tooltip, /Tenant: Contoso/);
    const single = describeNode(createSubscriptionNode(signedInAzure(), PROD));
    assert.equal(single.description, undefined);
    assert.doesNotMatch(single.tooltip, /Tenant/);
  });

  it('escapes a hostile subscription name in the tooltip', () => {
    const evil = subscription(SUB_A, '[click](command:workbench.action.terminal.new)', TENANT_1);
    const item = describeNode(createSubscriptionNode(signedInAzure(), evil));
    assert.equal(item.label, evil.displayName, 'labels are plain text');
    assert.ok(!item.tooltip.includes('](command:'), item.tooltip);
  });

  it('shows a Premium registry by its ARM name with SKU and location', () => {
    const node = discovered();
    const item = describeNode(node);
    assert.equal(item.label, 'MyRegistry');
    assert.equal(item.description, 'Premium · eastus');
    assert.equal(item.contextValue, 'azureRegistry');
    assert.equal(item.id, node.id);
    assert.match(item.tooltip, /available/);
    assert.doesNotMatch(item.tooltip, /not available/);
  });

  it('says "no streaming" for a Standard or customer-managed-key registry and names the blocker', () => {
    const standard = describeNode(discovered({ sku: 'Standard' }));
    assert.equal(standard.description, 'Standard · eastus · no streaming');
    assert.equal(standard.contextValue, 'azureRegistry');
    assert.match(standard.tooltip, /not available/);
    assert.match(standard.tooltip, /Premium tier/);

    const cmk = describeNode(discovered({ encryptionEnabled: true }));
    assert.equal(cmk.description, 'Premium · eastus · no streaming');
    assert.match(cmk.tooltip, /customer\\-managed keys/);
    assert.doesNotMatch(cmk.tooltip, /Premium tier/);
  });

  it('says "no streaming" on the repositories of such a registry, with the reason', () => {
    const repository = describeNode(createRepositoryNode(discovered({ sku: 'Basic' }), 'app'));
    assert.equal(repository.description, 'no streaming');
    assert.match(repository.tooltip, /not available in this registry/);
    assert.equal(describeNode(createRepositoryNode(discovered(), 'app')).description, undefined, 'a Premium registry\'s repository waits for its state');
  });

  it('marks a discovered registry that could not be listed as azureRegistry.error', () => {
    const node = discovered();
    node.state = { kind: 'error', message: 'The registry refused the connection.' };
    const item = describeNode(node);
    assert.equal(item.contextValue, 'azureRegistry.error');
    assert.match(item.description ?? '', /unavailable/);
    assert.match(item.tooltip, /refused the connection/);
    assert.match(item.tooltip, /Refresh/);
  });

  it('gives message rows with an action the matching command', () => {
    const azure = createAzureNode('Azure');
    const signin = describeNode(createMessageNode(azure, 'signin', 'Sign in to Azure…', 'signin', undefined, 'signInToAzure'));
    assert.equal(signin.command?.id, 'acrStreaming.signInToAzure');
    assert.equal(signin.contextValue, 'message');
    const select = describeNode(createMessageNode(signedInAzure(), 'empty', 'All 3 subscriptions are filtered out.', 'info', undefined, 'selectSubscriptions'));
    assert.equal(select.command?.id, 'acrStreaming.selectSubscriptions');
    const plain = describeNode(createMessageNode(signedInAzure(), 'empty', 'No subscriptions for this account.', 'info'));
    assert.equal(plain.command, undefined);
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    assert.ok(declared.has('acrStreaming.signInToAzure') && declared.has('acrStreaming.selectSubscriptions'));
  });

  it('sends a registry sign-in row to the Azure sign-in for a discovered registry, else to the registry sign-in', () => {
    const azureRegistryNode = discovered();
    const underAzure = describeNode(createMessageNode(azureRegistryNode, 'signin', 'Sign in…', 'signin'));
    assert.equal(underAzure.command?.id, 'acrStreaming.signInToAzure');
    assert.equal(underAzure.command?.target, azureRegistryNode);

    const manual = createRegistryNode('reg.example.io', 'anonymous');
    const underManual = describeNode(createMessageNode(manual, 'signin', 'Sign in…', 'signin'));
    assert.equal(underManual.command?.id, 'acrStreaming.signIn');
    assert.equal(underManual.command?.target, manual);

    const deeper = describeNode(createMessageNode(createRepositoryNode(azureRegistryNode, 'app'), 'signin', 'Sign in…', 'signin'));
    assert.equal(deeper.command?.id, 'acrStreaming.signInToAzure', 'found through the parents');
  });

  describe('menus for the Azure context values', () => {
    const expected: Record<string, string[]> = {
      [ContextValue.azureSignedIn]: ['acrStreaming.refresh', 'acrStreaming.selectSubscriptions', 'acrStreaming.signOutOfAzure'],
      [ContextValue.azureSignedOut]: ['acrStreaming.refresh', 'acrStreaming.signInToAzure'],
      [ContextValue.subscription]: ['acrStreaming.refresh'],
      [ContextValue.azureRegistry]: ['acrStreaming.openInPortal', 'acrStreaming.refresh', 'acrStreaming.showAksHelp'],
      [ContextValue.azureRegistryError]: ['acrStreaming.openInPortal', 'acrStreaming.refresh', 'acrStreaming.showAksHelp'],
    };

    for (const [value, commands] of Object.entries(expected)) {
      it(`offers exactly ${commands.map((c) => c.replace('acrStreaming.', '')).join(', ')} on ${value}`, () => {
        assert.deepEqual(commandsFor(value), commands);
      });
    }

    it('describes nodes with exactly those context values', () => {
      const signedOut = createAzureNode('Azure');
      const broken = discovered();
      broken.state = { kind: 'error', message: 'x' };
      const values = [signedOut, signedInAzure(), createSubscriptionNode(signedInAzure(), PROD), discovered(), broken].map((n) => describeNode(n).contextValue);
      assert.deepEqual(values.sort(), Object.keys(expected).sort());
    });

    it('keeps Open in Portal and AKS help to discovered registries, and removal and registry sign-in to manual ones', () => {
      for (const value of Object.values(ContextValue)) {
        const commands = commandsFor(value);
        const isAzureRegistry = value.startsWith('azureRegistry');
        assert.equal(commands.includes('acrStreaming.openInPortal'), isAzureRegistry, `openInPortal on ${value}`);
        assert.equal(commands.includes('acrStreaming.showAksHelp'), isAzureRegistry, `showAksHelp on ${value}`);
        if (isAzureRegistry) {
          assert.ok(!commands.includes('acrStreaming.removeRegistry'), `removeRegistry on ${value}`);
          assert.ok(!commands.includes('acrStreaming.signIn'), `registry sign-in on ${value}`);
        }
      }
    });

    it('uses the MenuPattern regexes for the Azure menus', () => {
      const whenOf = (command: string) =>
        pkg.contributes.menus['view/item/context'].filter((e) => e.command === command).map((e) => /viewItem =~ \/(.+)\/$/.exec(e.when ?? '')?.[1]);
      assert.ok(whenOf('acrStreaming.openInPortal').every((p) => p === MenuPattern.azureRegistry));
      assert.ok(whenOf('acrStreaming.signOutOfAzure').every((p) => p === MenuPattern.signOutOfAzure));
      assert.ok(whenOf('acrStreaming.signInToAzure').every((p) => p === MenuPattern.signInToAzure));
      assert.ok(whenOf('acrStreaming.refresh').every((p) => p === MenuPattern.refresh));
      assert.ok(whenOf('acrStreaming.openInPortal').length > 0);
    });
  });
});
