export { startVsCode, VsCode, SCREENSHOT_DIR, VIEW_CONTAINER_TITLE } from './vscode';
export type { EmulatorConnection, StartVsCodeOptions, VsCodeTimings } from './vscode';
export { captureFailures } from './failures';
export { packagedVsix } from './vsix';
export type { TreePath, TreeRow } from './tree';
export type { TextMatch } from './text';
