/** Starts an emulator for a test file and keeps its log for failure messages. */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../../emulator/index';

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle & { logs: string[] }> {
  const logs: string[] = [];
  const handle = await startEmulator({ password: 'test-password', ...options, log: (line) => logs.push(line) });
  return Object.assign(handle, { logs });
}
