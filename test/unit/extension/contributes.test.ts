import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadgeState } from '../../../src/core/badge/badgeState';
import { COMMAND_IDS, NODE_ONLY_COMMANDS } from '../../../src/commands/commandIds';
import { RESTRICTED_KEYS, SETTING_KEYS, SETTINGS_SECTION, USER_ONLY_KEYS } from '../../../src/services/settings';
import { ContextValue, MenuPattern, repositoryContextValue, tagContextValue } from '../../../src/tree/contextValues';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  contributes: {
    commands: Array<{ command: string; title: string }>;
    menus: Record<string, MenuEntry[]>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    viewsWelcome: Array<{ view: string; contents: string }>;
    configuration: { properties: Record<string, { default?: unknown; scope?: string }> };
  };
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
};

const ALL_VALUES = Object.values(ContextValue);

/** The context values a command's menu entries show it for. */
function shownFor(command: string): Set<string> {
  const shown = new Set<string>();
  for (const entry of pkg.contributes.menus['view/item/context'].filter((e) => e.command === command)) {
    const match = /viewItem =~ \/(.+)\/$/.exec(entry.when ?? '');
    assert.ok(match, `${command}: menu entry without a viewItem regex: ${entry.when}`);
    const re = new RegExp(match[1]);
    for (const value of ALL_VALUES) {
      if (re.test(value)) {
        shown.add(value);
      }
    }
  }
  return shown;
}

describe('contextValues and package.json menus', () => {
  it('maps each badge to its own tag context value', () => {
    const badges: Array<[BadgeState | undefined, string]> = [
      [undefined, 'tag.loading'],
      [{ kind: 'streamed', artifacts: [] }, 'tag.streamed'],
      [{ kind: 'converting', progress: 1, operation: { id: 'x', repository: 'r', status: 'Running', progress: 1 } }, 'tag.converting'],
      [{ kind: 'failed', code: 'X', message: '', hint: '', operation: { id: 'x', repository: 'r', status: 'Failed', progress: 0 } }, 'tag.failed'],
      [{ kind: 'not-converted' }, 'tag.convertible'],
      [{ kind: 'unsupported', reason: 'media-type', code: 'UNSUPPORTED_MEDIATYPE', message: '' }, 'tag.unsupported'],
    ];
    for (const [badge, value] of badges) {
      assert.equal(tagContextValue(badge), value);
    }
    assert.equal(repositoryContextValue(true), 'repository.active');
    assert.equal(repositoryContextValue(false), 'repository.inactive');
    assert.equal(repositoryContextValue(undefined), 'repository.unknown');
  });

  it('declares exactly the commands the extension registers, each with a title', () => {
    const declared = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, [...COMMAND_IDS].sort());
    for (const command of pkg.contributes.commands) {
      assert.ok(command.title.length > 0);
      assert.match(command.command, /^acrStreaming\.[a-z][A-Za-z]+$/);
    }
  });

  it('uses the patterns of contextValues.ts, and nothing else, in item menus', () => {
    const patterns = new Set<string>(Object.values(MenuPattern));
    for (const entry of pkg.contributes.menus['view/item/context']) {
      const match = /^view == acrStreaming\.registries && viewItem =~ \/(.+)\/$/.exec(entry.when ?? '');
      assert.ok(match, `unexpected when clause: ${entry.when}`);
      assert.ok(patterns.has(match[1]), `${entry.command} uses a pattern not in MenuPattern: ${match[1]}`);
    }
  });

  it('offers Create Streaming Artifact only where a conversion can start', () => {
    assert.deepEqual(
      [...shownFor('acrStreaming.createStreamingArtifact')].sort(),
      // tag.blocked: the registry cannot stream; Create stays offered so its pre-flight can say why.
      ['repository.active', 'repository.inactive', 'repository.unknown', 'tag.blocked', 'tag.convertible', 'tag.failed', 'tag.loading'],
    );
  });

  it('offers Cancel only on converting tags, and Start/Stop by repository state', () => {
    assert.deepEqual([...shownFor('acrStreaming.cancelOperation')], ['tag.converting']);
    assert.deepEqual([...shownFor('acrStreaming.startArtifactStreaming')].sort(), ['repository.inactive', 'repository.unknown']);
    assert.deepEqual([...shownFor('acrStreaming.stopArtifactStreaming')].sort(), ['repository.active', 'repository.unknown']);
  });

  it('never offers node actions on "Load more…" or message rows, and removal only on registries', () => {
    for (const command of COMMAND_IDS) {
      const shown = shownFor(command);
      assert.ok(!shown.has('loadMore') && !shown.has('message'), `${command} shown on a placeholder row`);
    }
    assert.deepEqual([...shownFor('acrStreaming.removeRegistry')].sort(), ['registry', 'registry.error', 'registry.signin']);
    assert.ok(!shownFor('acrStreaming.copyDigest').has('repository.active'));
    assert.ok(shownFor('acrStreaming.copyDigest').has('referrer'));
  });

  it('hides node-only commands from the palette', () => {
    const palette = pkg.contributes.menus.commandPalette;
    for (const id of NODE_ONLY_COMMANDS) {
      assert.ok(palette.some((entry) => entry.command === id && entry.when === 'false'), `${id} visible in the palette`);
    }
  });

  it('contributes the container, the view, a welcome with Add Registry, and the settings', () => {
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(pkg.activationEvents.includes('onView:acrStreaming.registries'));
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'acrStreaming');
    assert.deepEqual(
      pkg.contributes.views.acrStreaming.map((v) => v.id),
      ['acrStreaming.registries'],
    );
    const welcome = pkg.contributes.viewsWelcome.find((w) => w.view === 'acrStreaming.registries');
    assert.match(welcome?.contents ?? '', /command:acrStreaming\.addRegistry/);
    const properties = pkg.contributes.configuration.properties;
    assert.equal(properties['acrStreaming.pageSize'].default, 100);
    assert.deepEqual(properties['acrStreaming.registries'].default, []);
    const icon = readFileSync(join(__dirname, '../../../', pkg.contributes.viewsContainers.activitybar[0].icon), 'utf8');
    assert.match(icon, /^<svg /);
  });

  describe('workspace trust', () => {
    const properties = pkg.contributes.configuration.properties;
    const full = (key: string) => `${SETTINGS_SECTION}.${key}`;

    it('contributes exactly the settings the extension reads', () => {
      assert.deepEqual(Object.keys(properties).sort(), Object.values(SETTING_KEYS).map(full).sort());
    });

    it('declares limited support for untrusted workspaces, restricting exactly the settings the code treats as untrusted', () => {
      const untrusted = pkg.capabilities?.untrustedWorkspaces;
      assert.equal(untrusted?.supported, 'limited');
      assert.match(untrusted?.description ?? '', /Restricted Mode/);
      assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), RESTRICTED_KEYS.map(full).sort());
    });

    it('gives every user-only setting a scope a workspace cannot set', () => {
      for (const key of USER_ONLY_KEYS) {
        assert.ok(['application', 'machine'].includes(properties[full(key)].scope ?? ''), `${full(key)} has scope ${properties[full(key)].scope}`);
      }
      // A workspace may list registries (they get no credentials until the user confirms them).
      assert.equal(properties[full(SETTING_KEYS.registries)].scope, 'window');
      assert.equal(properties[full(SETTING_KEYS.allowInsecureRegistries)].default, false);
    });
  });
});
