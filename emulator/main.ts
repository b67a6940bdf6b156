/**
 * `tsx emulator/main.ts [--port P] [--data DIR] [--seed] [--tls] [--speed BYTES_PER_SEC] [--anonymous-pull]`
 * Runs the local ACR emulator until SIGINT/SIGTERM. It prints its own generated admin
 * password on purpose (this is a local test registry), and what its Azure Resource Manager lists.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startEmulator } from './index';

function integer(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    }
    return parsed;
  };
}

async function main(): Promise<void> {
  const program = new Command()
    .name('acr-emulator')
    .description('Local ACR-compatible registry with artifact streaming (for tests and demos).')
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', integer('--port', 0), 0)
    .option('--data <dir>', 'data folder (default: a fresh temporary folder)')
    .option('--seed', 'fill the registry with sample repositories')
    .option('--tls', 'serve HTTPS with a self-signed certificate')
    .option('--speed <bytesPerSecond>', 'conversion speed per conversion (<= 0: unlimited)', integer('--speed', -1))
    .option('--anonymous-pull', 'allow unauthenticated pulls')
    .option('--quiet', 'do not print the emulator log')
    .parse(process.argv);
  const opts = program.opts<{ port: number; data?: string; seed?: boolean; tls?: boolean; speed?: number; anonymousPull?: boolean; quiet?: boolean }>();

  const log = opts.quiet ? () => undefined : (line: string) => console.error(`[emulator] ${line}`);
  const emulator = await startEmulator({
    port: opts.port,
    dataDir: opts.data,
    seed: opts.seed === true,
    tls: opts.tls === true,
    conversionBytesPerSecond: opts.speed,
    anonymousPull: opts.anonymousPull === true,
    log,
  });
  const lines = [
    `ACR emulator ready`,
    `  URL:          ${emulator.url}`,
    `  Login server: ${emulator.loginServer}`,
    `  Username:     ${emulator.username}`,
    `  Password:     ${emulator.password}`,
    `  Data folder:  ${emulator.dataDir}${opts.data ? '' : ' (temporary: removed on exit; use --data to keep one)'}`,
  ];
  const { tenants, subscriptions, registries } = emulator.azure;
  lines.push(`  Azure Resource Manager: ${emulator.armUrl}  (Entra test tokens: POST ${emulator.url}/_emulator/entra-token)`);
  for (const tenant of tenants) {
    lines.push(`    tenant ${tenant.displayName} ${tenant.tenantId} (${tenant.defaultDomain})`);
    for (const subscription of subscriptions.filter((s) => s.tenantId === tenant.tenantId)) {
      lines.push(`      subscription ${subscription.displayName} ${subscription.subscriptionId}`);
      for (const registry of registries.filter((r) => r.subscriptionId === subscription.subscriptionId)) {
        const cmk = registry.encryption === 'enabled' ? ', customer-managed key' : '';
        lines.push(`        registry ${registry.name} (${registry.sku}, ${registry.location}${cmk}, rg ${registry.resourceGroup}) → ${registry.loginServer}`);
      }
    }
  }
  if (emulator.caCertPath) {
    lines.push(`  CA cert:      ${emulator.caCertPath}`, `  Trust it in Node: export NODE_EXTRA_CA_CERTS=${emulator.caCertPath}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`${signal}: stopping`);
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`acr-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
