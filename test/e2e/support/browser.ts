// Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here).
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.ACR_STREAMING_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox', // root in a container
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking', // no internet: nothing may try to phone home
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
