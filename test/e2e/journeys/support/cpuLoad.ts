// Busy CPUs for journeys that hunt load races: a few node processes spinning until stopped.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CpuLoad {
  stop(): void;
}

/** Starts `processes` busy loops (one core each); `stop()` kills exactly those processes. */
export function loadCpu(processes = 2): CpuLoad {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  return {
    stop() {
      for (const child of children.splice(0)) {
        child.kill('SIGKILL');
      }
    },
  };
}

/** `ACR_STREAMING_E2E_NO_LOAD=1` runs the load journeys without the busy loops (to compare). */
export function cpuLoadWanted(): boolean {
  return process.env.ACR_STREAMING_E2E_NO_LOAD !== '1';
}
