/** User settings every journey window gets on top of the harness's. */
export const JOURNEY_SETTINGS: Record<string, unknown> = {
  // Sticky scroll pins ancestor rows over the list once it scrolls; those pinned copies are
  // tree rows too and confuse the harness's path lookup (test/e2e/support/tree.ts).
  'workbench.tree.enableStickyScroll': false,
};
