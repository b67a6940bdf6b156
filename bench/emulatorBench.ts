/** Benchmarks against the local emulator with its sample content. */
import { BadgeService } from '../src/core/badge';
import { connect } from '../src/core/connect';
import { parseRegistry } from '../src/core/reference';
import { startEmulator } from '../emulator';
import { BUDGETS } from './budgets';
import type { Result } from './result';

export async function emulatorBench(): Promise<Result[]> {
  const emulator = await startEmulator({ seed: true });
  try {
    const conn = connect(parseRegistry(emulator.url), { kind: 'basic', username: emulator.username, password: emulator.password });
    await conn.registry.listTags('samples/many-tags', { pageSize: 1 }); // warm the token cache
    let started = performance.now();
    let continuation: string | undefined;
    let tags = 0;
    const firstPage: string[] = [];
    do {
      const page = await conn.registry.listTags('samples/many-tags', { pageSize: 100, continuation });
      tags += page.items.length;
      if (firstPage.length === 0) {
        firstPage.push(...page.items.map((t) => t.name));
      }
      continuation = page.continuation;
    } while (continuation);
    const listMs = performance.now() - started;

    const badges = new BadgeService(conn.registry, conn.streaming);
    started = performance.now();
    await badges.getBadges('samples/many-tags', firstPage);
    const badgeMs = performance.now() - started;
    badges.dispose();
    return [
      { name: `emulator: list all ${tags} tags in pages of 100`, value: listMs, unit: 'ms', budget: BUDGETS.listAllTagsMs, lowerIsBetter: true },
      { name: `emulator: badges of the first ${firstPage.length} tags`, value: badgeMs, unit: 'ms', budget: BUDGETS.firstPageBadgesMs, lowerIsBetter: true },
    ];
  } finally {
    await emulator.stop();
  }
}
