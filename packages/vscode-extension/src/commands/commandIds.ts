// Free of `vscode`, so that unit tests can compare it with package.json.

/** Every command the extension registers, in the order package.json contributes them. */
export const COMMAND_IDS = [
  'spacekit.refresh',
  'spacekit.createSpace',
  'spacekit.resizeSpace',
  'spacekit.deleteSpace',
  'spacekit.openDashboard',
  'spacekit.openTerminal',
  'spacekit.copyKubeconfig',
  'spacekit.saveKubeconfig',
  'spacekit.workInSpace',
  'spacekit.switchContext',
  'spacekit.selectKubeconfig',
  'spacekit.addScope',
  'spacekit.removeScope',
  'spacekit.openSettings',
  'spacekit.showLogs',
] as const;

/** One of {@link COMMAND_IDS}. */
export type CommandId = (typeof COMMAND_IDS)[number];
