// A cloned repository's .vscode/settings.json lists a registry while the extension host has
// ACR_STREAMING_USERNAME/PASSWORD: the registry shows, marked, and is asked anonymously (the
// emulator then wants a sign-in) instead of getting the environment's credentials.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VsCode } from '../support';
import { journeyWindow } from './support/journeyWindow';
import { JOURNEY_SETTINGS } from './support/settings';

describe('journeys: a registry from workspace settings', function () {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'acr-streaming-cloned-'));
  const window = journeyWindow((emulator) => {
    mkdirSync(path.join(folder, '.vscode'));
    writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'acrStreaming.registries': [emulator.url] }));
    // Credentials in the environment, the registry only in the workspace (not `emulator:`, which writes user settings).
    return { folder, settings: JOURNEY_SETTINGS, env: { ACR_STREAMING_USERNAME: emulator.username, ACR_STREAMING_PASSWORD: emulator.password } };
  });
  let vscode: VsCode | undefined;
  let registry: string;

  before(() => {
    const running = window();
    vscode = running.vscode;
    registry = running.emulator.loginServer;
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('lists it as a workspace registry and sends it no credentials', async () => {
    const vs = vscode!;
    await vs.openView();
    const row = await vs.waitForTreeRow([registry], (r) => r.description !== '', { timeout: 90_000 });
    assert.equal(row.description, 'workspace registry, anonymous');
    await vs.expand(registry);
    // Anonymous: the emulator answers 401, the node offers Sign In… (with the environment's credentials it would list repositories).
    const after = await vs.waitForTreeRow([registry], (r) => r.description !== 'workspace registry, anonymous');
    assert.equal(after.description, 'Sign in…');
    await vs.screenshot('journey-workspace-registry');
  });
});
