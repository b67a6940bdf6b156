const assert = require('node:assert/strict');
const vscode = require('vscode');

describe('ACR Artifact Streaming in VS Code desktop', () => {
  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON.name === 'acr-artifact-streaming');
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['acrStreaming.addRegistry', 'acrStreaming.createStreamingArtifact', 'acrStreaming.refresh', 'acrStreaming.openStreamingPanel']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('opens the streaming panel', async () => {
    await vscode.commands.executeCommand('acrStreaming.openStreamingPanel');
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(tab, 'a webview tab is open');
  });
});
