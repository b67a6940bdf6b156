/** Orders the tree shows: repositories by name, tags newest first. */

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareByName(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function timeOf(value: string | undefined): number {
  const time = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(time) ? -Infinity : time;
}

/** Newest first by creation (then update) time; undated tags last, by name. */
export function compareTagsNewestFirst<T extends { name: string; createdTime?: string; lastUpdateTime?: string }>(a: T, b: T): number {
  const created = timeOf(b.createdTime ?? b.lastUpdateTime) - timeOf(a.createdTime ?? a.lastUpdateTime);
  if (created !== 0 && !Number.isNaN(created)) {
    return created;
  }
  return compareByName(a.name, b.name);
}
