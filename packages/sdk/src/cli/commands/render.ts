import type { CreateSpaceInput } from '../../api/inputs.ts';
import { defineCommand, type OutputFormat, OUTPUT_FLAG, outputFormat, RESOURCE_FLAGS } from '../define.ts';
import { UsageError } from '../errors.ts';
import { SPACE_MEMBER_FLAGS, SPACE_SETTINGS_FLAGS, spaceSpecFromFlags } from '../space-flags.ts';

export interface RenderCommand {
  command: 'render';
  output: OutputFormat;
  input: CreateSpaceInput;
}

/** `spacekit render`: a Space's objects, without a cluster. It never loads the Kubernetes client. */
export const render = defineCommand({
  words: ['render'],
  summary:
    "print a Space's Kubernetes objects as YAML (-o json: a List) for kubectl apply, without a cluster; takes the options of create space",
  flags: {
    org: { type: 'string', value: 'NAME', required: true },
    tenant: { type: 'string', value: 'NAME', required: true },
    space: { type: 'string', value: 'NAME', required: true },
    ...RESOURCE_FLAGS,
    ...SPACE_SETTINGS_FLAGS,
    ...SPACE_MEMBER_FLAGS,
    ...OUTPUT_FLAG,
  },
  unlisted: ['cpu', 'memory', 'resource', 'sandbox', 'pod-security', 'network', 'allow-from', 'admin', 'developer', 'viewer'],
  parse({ values: v }): RenderCommand {
    const missing = (['org', 'tenant', 'space'] as const).filter((flag) => !v[flag]);
    if (missing.length > 0) {
      throw new UsageError(
        `render needs ${missing.map((m) => `--${m}`).join(', ')}, such as: spacekit render --org acme --tenant payments --space dev --cpu 2 --memory 4Gi`,
      );
    }
    const input: CreateSpaceInput = { organization: v.org ?? '', tenant: v.tenant ?? '', name: v.space ?? '', ...spaceSpecFromFlags(v) };
    return { command: 'render', output: outputFormat(v.output), input };
  },
  async run(c, { io }) {
    const { formatObjects, renderSpaceStack } = await import('../render-command.ts');
    io.stdout(formatObjects(renderSpaceStack(c.input), c.output === 'json' ? 'json' : 'yaml'));
    return 0;
  },
});
