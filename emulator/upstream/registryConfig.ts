/**
 * The docker-registry (distribution 2.8) configuration: filesystem storage, deletes on,
 * relative URLs (so its `Location` headers work through the proxy), no access log, and a
 * notification endpoint so pushes made straight to it reach the emulator too.
 */
import { randomBytes } from 'node:crypto';

export interface RegistryConfigInput {
  storageDir: string;
  port: number;
  /** Where registry events are posted; undefined = no notifications. */
  notifyUrl?: string;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

export function registryConfigYaml(input: RegistryConfigInput): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${quote(input.storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  redirect:',
    '    disable: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${input.port}`,
    `  secret: ${quote(randomBytes(24).toString('hex'))}`,
    '  relativeurls: true',
    'health:',
    '  storagedriver:',
    '    enabled: false',
  ];
  if (input.notifyUrl) {
    lines.push(
      'notifications:',
      '  events:',
      '    includereferences: false',
      '  endpoints:',
      '    - name: acr-emulator',
      `      url: ${quote(input.notifyUrl)}`,
      '      timeout: 2s',
      '      threshold: 10',
      '      backoff: 1s',
      '      ignore:',
      '        actions: [pull]',
      '        mediatypes: [application/octet-stream]',
    );
  }
  return `${lines.join('\n')}\n`;
}
