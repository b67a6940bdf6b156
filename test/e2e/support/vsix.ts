// The extension under test, packaged once per test run (packaging takes seconds; every
// VS Code the suite starts installs the same .vsix).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageScript } from './scripts';

let packaging: Promise<string> | undefined;

/**
 * Path of the packaged extension. `ACR_STREAMING_E2E_VSIX` names a ready .vsix instead
 * (e.g. one CI built earlier, or a stand-in extension while developing the harness).
 */
export function packagedVsix(): Promise<string> {
  packaging ??= build().catch((err: unknown) => {
    packaging = undefined; // let the next test retry rather than fail on a stale rejection
    throw err;
  });
  return packaging;
}

async function build(): Promise<string> {
  const given = process.env.ACR_STREAMING_E2E_VSIX;
  if (given) {
    const resolved = path.resolve(given);
    if (!existsSync(resolved)) throw new Error(`ACR_STREAMING_E2E_VSIX=${given} does not exist`);
    return resolved;
  }
  const { packageExtension } = await packageScript();
  const { vsixPath } = await packageExtension({ log: (m) => console.log(`      ${m}`) });
  return vsixPath;
}
