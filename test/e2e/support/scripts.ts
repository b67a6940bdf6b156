// Typed access to the plain-Node scripts the harness shares with `npm start`
// (scripts/code-server.mjs, scripts/package.mjs). They are ES modules, so they are loaded with
// a dynamic import; the interfaces below are their contracts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface CodeServerHandle {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  pid: number;
  /** Temporary folder holding user data, extensions, config and the server log. */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** Settles when the server process ends (crash, or after stop()). */
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** Ends the whole process group (server, extension host, watchers). */
  stop(): Promise<void>;
}

export interface LaunchCodeServerOptions {
  vsixPath: string;
  port?: number;
  folder?: string;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  keepUserData?: boolean;
  log?: (message: string) => void;
}

export interface CodeServerScript {
  ensureCodeServer(options?: { log?: (message: string) => void }): Promise<string>;
  launchCodeServer(options: LaunchCodeServerOptions): Promise<CodeServerHandle>;
  findExthostLog(userDataDir: string): string | undefined;
  findExthostLogs(userDataDir: string): string[];
  findExtensionOutputLogs(userDataDir: string): string[];
  tail(text: string, lines: number): string;
}

export interface PackageScript {
  packageExtension(options?: { out?: string; force?: boolean; log?: (message: string) => void }): Promise<{
    vsixPath: string;
    bytes: number;
    seconds: number;
    /** The inputs were unchanged and the previous .vsix was kept. */
    reused: boolean;
  }>;
}

function load<T>(file: string): Promise<T> {
  return import(pathToFileURL(path.join(repoRoot, 'scripts', file)).href) as Promise<T>;
}

export const codeServerScript = (): Promise<CodeServerScript> => load<CodeServerScript>('code-server.mjs');
export const packageScript = (): Promise<PackageScript> => load<PackageScript>('package.mjs');
