import { defineCommand, type OutputFormat, OUTPUT_FLAG, outputFormat, parsePath, type Ref } from '../define.ts';

export interface GetCommand {
  command: 'get';
  output: OutputFormat;
  ref?: Ref;
}

/** `spacekit get [PATH]`: the tree with budgets. */
export const get = defineCommand({
  words: ['get'],
  operands: '[ORG[/TENANT[/SPACE]]]',
  arity: { max: 1 },
  summary: 'the tree of organizations, tenants and spaces with their budgets',
  flags: { ...OUTPUT_FLAG },
  parse({ values, operands: [path] }): GetCommand {
    return { command: 'get', output: outputFormat(values.output), ...(path !== undefined && { ref: parsePath(path) }) };
  },
  async run(c, { connect, print }) {
    const [kit, { loadTree }, { formatTree }] = await Promise.all([connect(), import('../load-tree.ts'), import('../tree.ts')]);
    const roots = await loadTree(kit, c.ref);
    await print(c.output, c.ref ? roots[0] : roots, () => formatTree(roots));
    return 0;
  },
});
