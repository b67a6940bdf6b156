/** Whether an executable is on PATH, without running it (a sign of an Azure sign-in, not a guarantee). */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Environment } from './cliDeps';

export function commandOnPath(name: string, env: Environment, platform: NodeJS.Platform = process.platform): boolean {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((dir) => dir !== '');
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter((ext) => ext !== '') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      try {
        accessSync(join(dir, `${name}${ext}`), platform === 'win32' ? constants.F_OK : constants.X_OK);
        return true;
      } catch {
        // not here; try the next
      }
    }
  }
  return false;
}
