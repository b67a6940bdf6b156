/**
 * "Stream on AKS": what a cluster needs to pull this registry's images by artifact streaming,
 * as Markdown with the commands to run. Registry-provided values go into code only after they
 * have been validated (so they cannot break out of it) and into prose only escaped.
 */
import { parseImageReference, parseRegistry, formatImageReference } from '../reference';
import type { AzureCloud } from './clouds';
import { escapeMarkdown } from '../markdown';

export interface AksStreamingHelpInput {
  registryName?: string;
  loginServer: string;
  cloud: AzureCloud;
  /** An image to deploy as an example, e.g. "samples/hello:1.0". */
  imageReference?: string;
}

const ACR_NAME_RE = /^[A-Za-z0-9]{5,50}$/;
const CLUSTER = '<cluster>';
const GROUP = '<resource-group>';

export function aksStreamingHelp(input: AksStreamingHelpInput): string {
  const loginServer = validLoginServer(input.loginServer, input.cloud);
  const registryName = validRegistryName(input, loginServer);
  const shownRegistry = escapeMarkdown(loginServer ?? input.loginServer);
  const lines: string[] = [
    `## Stream images from ${shownRegistry} on AKS`,
    '',
    'Artifact streaming lets AKS nodes start containers before the whole image is downloaded. It needs:',
    '',
    '- **Kubernetes 1.26** or later.',
    '- Node pools on **Ubuntu 20.04** or later, or **Azure Linux** (not Windows).',
    '- **linux/amd64** images (from an index, only the linux/amd64 entry is streamed), converted to streaming artifacts in the registry.',
    '- A **Premium** registry without customer-managed keys.',
    '- The registry attached to the cluster: Kubernetes `regcred` image pull secrets are not supported.',
    '',
    `Replace \`${CLUSTER}\` and \`${GROUP}\` with your AKS cluster's name and resource group.`,
    '',
  ];
  const cloudStep = cloudCommand(input.cloud);
  let step = 1;
  if (cloudStep) {
    lines.push(`${step++}. Point the Azure CLI at ${escapeMarkdown(input.cloud.displayName)}:`, '', fence(cloudStep), '');
  }
  lines.push(
    `${step++}. Attach the registry to the cluster, so its nodes pull with the cluster's identity:`,
    '',
    fence(`az aks update -n ${CLUSTER} -g ${GROUP} --attach-acr ${registryName}`),
    '',
    `${step++}. Turn artifact streaming on per node pool: add a pool with it…`,
    '',
    fence(`az aks nodepool add --cluster-name ${CLUSTER} -g ${GROUP} --name streamingpool --enable-artifact-streaming`),
    '',
    '   …or turn it on for an existing pool:',
    '',
    fence(`az aks nodepool update --cluster-name ${CLUSTER} -g ${GROUP} --name <node-pool> --enable-artifact-streaming`),
    '',
    `${step++}. Convert the images to stream (**Create Streaming Artifact**), or start artifact streaming on a repository so new pushes are converted.`,
    '',
  );
  const image = exampleImage(input.imageReference, loginServer);
  lines.push(`${step++}. Deploy **by tag**: a pod deployed by digest shows no streaming message in its events.`, '');
  if (image) {
    lines.push(fence(`kubectl run streaming-check --image=${image}`), '');
  }
  lines.push(
    `${step}. Check that it streamed: the pod's events show **Streaming Image**.`,
    '',
    fence('kubectl describe pod <pod>'),
    '',
  );
  return lines.join('\n');
}

function cloudCommand(cloud: AzureCloud): string | undefined {
  switch (cloud.name) {
    case 'AzureChinaCloud':
    case 'AzureUSGovernment':
      return `az cloud set --name ${cloud.name}`;
    case 'Custom':
      // A custom cloud is known to the Azure CLI under whatever name it was registered with.
      return 'az cloud set --name <your-cloud>';
    default:
      return undefined;
  }
}

function fence(command: string): string {
  return ['   ```sh', `   ${command}`, '   ```'].join('\n');
}

function validLoginServer(text: string, cloud: AzureCloud): string | undefined {
  try {
    return parseRegistry(text, { defaultSuffix: cloud.registrySuffix }).loginServer;
  } catch {
    return undefined;
  }
}

/** The given name when valid; else the first label of an ACR login server; else a placeholder. */
function validRegistryName(input: AksStreamingHelpInput, loginServer: string | undefined): string {
  if (input.registryName !== undefined && ACR_NAME_RE.test(input.registryName)) {
    return input.registryName;
  }
  const suffix = input.cloud.registrySuffix.toLowerCase();
  if (loginServer?.endsWith(suffix)) {
    const label = loginServer.slice(0, -suffix.length);
    if (ACR_NAME_RE.test(label)) {
      return label;
    }
  }
  return '<registry-name>';
}

/** The image as `loginServer/repo:tag` when it parses (a reference naming another registry is kept as is). */
function exampleImage(reference: string | undefined, loginServer: string | undefined): string | undefined {
  if (reference === undefined || loginServer === undefined) {
    return undefined;
  }
  try {
    const parsed = parseImageReference(reference);
    // By tag, as the step says: the digest is dropped when a tag is there to use.
    const byTag = parsed.tag ? { ...parsed, digest: undefined } : parsed;
    return formatImageReference({ ...byTag, registry: parsed.registry ?? loginServer }, true);
  } catch {
    return undefined;
  }
}
