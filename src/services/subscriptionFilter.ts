/**
 * Which Azure subscriptions the tree lists: `acrStreaming.azure.subscriptions` holds
 * `tenantId/subscriptionId` entries; an empty list means every subscription the account sees.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SubscriptionFilter {
  /** `tenantId/subscriptionId`, lower-cased. */
  readonly selected: readonly string[];
}

export function subscriptionKey(tenantId: string, subscriptionId: string): string {
  return `${tenantId}/${subscriptionId}`.toLowerCase();
}

export function parseSubscriptionFilter(value: unknown): { filter: SubscriptionFilter; problems: string[] } {
  if (value === undefined || value === null) {
    return { filter: { selected: [] }, problems: [] };
  }
  if (!Array.isArray(value)) {
    return { filter: { selected: [] }, problems: ['acrStreaming.azure.subscriptions must be a list of "tenantId/subscriptionId" entries; listing every subscription.'] };
  }
  const selected: string[] = [];
  const problems: string[] = [];
  value.forEach((entry: unknown, index) => {
    const parts = typeof entry === 'string' ? entry.split('/') : [];
    if (parts.length !== 2 || !GUID.test(parts[0]) || !GUID.test(parts[1])) {
      problems.push(`acrStreaming.azure.subscriptions[${index}] is not "tenantId/subscriptionId" (two GUIDs); it is ignored. Use "ACR Streaming: Select Subscriptions…" to choose.`);
      return;
    }
    const key = subscriptionKey(parts[0], parts[1]);
    if (!selected.includes(key)) {
      selected.push(key);
    }
  });
  return { filter: { selected }, problems };
}

export function isSubscriptionShown(filter: SubscriptionFilter, tenantId: string, subscriptionId: string): boolean {
  return filter.selected.length === 0 || filter.selected.includes(subscriptionKey(tenantId, subscriptionId));
}
