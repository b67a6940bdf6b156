/**
 * What the ARM SDKs return, validated before use and turned into the core's models. A
 * malformed item is reported (the caller logs and skips it) rather than failing a whole list.
 */
import { z } from 'zod';
import { parseRegistry } from '../reference';
import type { AzureRegistry, AzureSubscription, AzureTenant, SoftDeletePolicy } from './models';
import { normalizeRegistryId, parseRegistryId } from './registryId';

const text = (max = 1024) => z.string().max(max);
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/);

const tenantSchema = z.object({ tenantId: guid, displayName: text(256).optional().nullable(), defaultDomain: text(256).optional().nullable() }).passthrough();

const subscriptionSchema = z
  .object({ subscriptionId: guid, displayName: text(256).min(1), tenantId: guid, state: text(64).optional().nullable() })
  .passthrough();

const registrySchema = z
  .object({
    id: text(1024),
    name: text(50),
    location: text(64).min(1),
    sku: z.object({ name: text(64).min(1) }).passthrough(),
    loginServer: text(300).min(1),
    encryption: z.object({ status: text(32).optional().nullable() }).passthrough().optional().nullable(),
    adminUserEnabled: z.boolean().optional().nullable(),
    anonymousPullEnabled: z.boolean().optional().nullable(),
  })
  .passthrough();

/** `GET <registry id>?api-version=<preview>`: only the soft-delete policy is read. */
const softDeleteReplySchema = z
  .object({
    properties: z
      .object({
        policies: z
          .object({
            softDeletePolicy: z
              .object({ status: text(32), retentionDays: z.number().int().nonnegative().max(100_000).optional().nullable() })
              .passthrough()
              .optional()
              .nullable(),
          })
          .passthrough()
          .optional()
          .nullable(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'root'}: ${issue?.message}`;
}

export function toTenant(raw: unknown): Checked<AzureTenant> {
  const parsed = tenantSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: reasonOf(parsed.error) };
  }
  const { tenantId, displayName, defaultDomain } = parsed.data;
  return { ok: true, value: { tenantId, displayName: displayName ?? undefined, defaultDomain: defaultDomain ?? undefined } };
}

export function toSubscription(raw: unknown): Checked<AzureSubscription> {
  const parsed = subscriptionSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: reasonOf(parsed.error) };
  }
  const { subscriptionId, displayName, tenantId, state } = parsed.data;
  return { ok: true, value: { subscriptionId, displayName, tenantId, state: state ?? undefined } };
}

export function toRegistry(raw: unknown): Checked<AzureRegistry> {
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: reasonOf(parsed.error) };
  }
  const data = parsed.data;
  let parts;
  let loginServer: string;
  try {
    parts = parseRegistryId(data.id);
    // A login server is a host[:port]: a URL or a path here would be a broken reply.
    if (/[/\s]/.test(data.loginServer)) {
      return { ok: false, reason: `loginServer "${data.loginServer}" is not a host` };
    }
    loginServer = parseRegistry(data.loginServer).loginServer;
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (parts.name.toLowerCase() !== data.name.toLowerCase()) {
    return { ok: false, reason: `name "${data.name}" does not match its id` };
  }
  return {
    ok: true,
    value: {
      id: normalizeRegistryId(data.id),
      name: data.name,
      subscriptionId: parts.subscriptionId,
      resourceGroup: parts.resourceGroup,
      location: data.location,
      sku: data.sku.name,
      loginServer,
      encryptionEnabled: data.encryption?.status?.toLowerCase() === 'enabled',
      adminUserEnabled: data.adminUserEnabled ?? undefined,
      anonymousPullEnabled: data.anonymousPullEnabled ?? undefined,
    },
  };
}

/** The soft-delete policy of a registry reply, or undefined when the service does not say. */
export function toSoftDeletePolicy(raw: unknown): Checked<SoftDeletePolicy | undefined> {
  const parsed = softDeleteReplySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: reasonOf(parsed.error) };
  }
  const policy = parsed.data.properties?.policies?.softDeletePolicy;
  if (!policy) {
    return { ok: true, value: undefined };
  }
  return { ok: true, value: { enabled: policy.status.toLowerCase() === 'enabled', retentionDays: policy.retentionDays ?? undefined } };
}
