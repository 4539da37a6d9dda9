// The layer rules `scripts/test` checks (ADR 0014). Each SDK folder may import only the folders
// listed before it, so a change low in the stack never needs one above it. Order, bottom up:
const SDK_LAYERS = [
  ['quantity', 'util', 'errors.ts'],
  ['model'],
  ['meter', 'budget', 'kube', 'crd', 'install'],
  ['informer'],
  ['render'],
  ['cluster'],
  ['apply'],
  ['engine'],
  // The operator's names (its namespace and Service) are a leaf that live usage reads to find the metrics endpoint.
  ['operator/names.ts'],
  ['usage', 'verify'],
  ['operator'],
  ['api'],
  ['spacekit.ts'],
  ['testing', 'cli', 'index.ts'],
];

const SDK = '^packages/sdk/src/';
const VSCODE = '(^|/)@types/vscode/|^vscode$';
const escapeDots = (part) => part.replace(/[.]/g, '\\.');
const pathOf = (parts) => `${SDK}(${parts.map((p) => (p.endsWith('.ts') ? `${escapeDots(p)}$` : `${escapeDots(p)}/`)).join('|')})`;

const layerRules = SDK_LAYERS.slice(0, -1).map((layer, index) => {
  const above = SDK_LAYERS.slice(index + 1).flat();
  const rule = {
    name: `sdk-layer-${layer.join('+')}`,
    comment: `${layer.join(', ')} may not import what sits above it: ${above.join(', ')}`,
    severity: 'error',
    from: { path: pathOf(layer) },
    to: { path: pathOf(above) },
  };
  // operator/names.ts sits below usage/, the rest of operator/ above it.
  if (layer.includes('operator/names.ts')) rule.from.path = `${SDK}operator/names\\.ts$`;
  if (above.includes('operator')) rule.to.pathNot = `${SDK}operator/names\\.ts$`;
  if (layer.includes('operator')) rule.from.pathNot = `${SDK}operator/names\\.ts$`;
  return rule;
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      // A cycle through a type-only import (a service that names its Container's type) costs nothing at run time, and
      // one closed by a dynamic import is loaded on demand (`spacekit help` builds its text from the command table).
      comment: 'A cycle makes two modules one module in two files.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    {
      name: 'extension-view-logic-without-vscode',
      comment: "The extension's model/ and util/ are pure view logic, unit-tested without VS Code.",
      severity: 'error',
      from: { path: '^packages/vscode-extension/src/(model|util)/' },
      to: {
        path: `${VSCODE}|^packages/vscode-extension/src/(commands|connection|discovery|statusbar|tree|webview)/|container\\.ts$|extension\\.ts$`,
      },
    },
    {
      name: 'webview-client-in-the-browser',
      comment: 'The webview client runs in the browser: no Node, no vscode, no extension host modules.',
      severity: 'error',
      from: { path: '^packages/vscode-extension/src/webview/[^/]+/client/' },
      to: { path: `${VSCODE}|^packages/vscode-extension/src/(commands|connection|discovery|statusbar|tree)/` },
    },
    {
      name: 'webview-client-without-node',
      comment: 'The webview client runs in the browser, where Node modules do not exist.',
      severity: 'error',
      from: { path: '^packages/vscode-extension/src/webview/[^/]+/client/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-sdk-internals-outside-the-sdk',
      comment: 'Other packages and the examples import @spacekit/sdk by its published entry points, never its files.',
      severity: 'error',
      from: { path: '^packages/(vscode-extension|examples|local-cluster)/' },
      to: {
        path: '^packages/sdk/src/',
        pathNot: '^packages/sdk/src/(index\\.ts|operator/index\\.ts|testing/index\\.ts|testing/vitest\\.ts|testing/node-test\\.ts)$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|lib|test-artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
