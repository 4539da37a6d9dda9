import { UsageError } from '../errors.ts';
import { choice, defineCommand, parsePath, type Ref } from '../define.ts';

/** What `verify -o` prints. */
export const VERIFY_FORMATS = ['table', 'json', 'junit'] as const;

export interface VerifyCommand {
  command: 'verify';
  format: (typeof VERIFY_FORMATS)[number];
  ref?: Ref;
  probeImage?: string;
  probeNodeSelector?: Record<string, string>;
}

/** `k=v,k2=v2` as labels. */
function labels(flag: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value, ...rest] = pair.split('=');
    if (!key || value === undefined || rest.length > 0)
      throw new UsageError(`${flag} takes labels as key=value[,key=value]; not "${text}"`);
    out[key.trim()] = value.trim();
  }
  return out;
}

/** `spacekit verify [PATH] [-o table|json|junit] [--probe-image IMG]`: the tenancy checks; exit 0 only when none failed. */
export const verify = defineCommand({
  words: ['verify'],
  operands: '[ORG[/TENANT[/SPACE]]]',
  arity: { max: 1 },
  summary: 'checks that tenants are kept apart and within budget, changing nothing; exits 1 when a check fails',
  flags: {
    output: { type: 'string', short: 'o', value: VERIFY_FORMATS.join('|') },
    'probe-image': { type: 'string', value: 'IMG' },
    'probe-node-selector': { type: 'string', value: 'LABELS' },
  },
  parse({ values, operands: [path] }): VerifyCommand {
    const selector = values['probe-node-selector'];
    if (selector !== undefined && values['probe-image'] === undefined)
      throw new UsageError('--probe-node-selector places the probe pods, so it needs --probe-image');
    return {
      command: 'verify',
      format: values.output === undefined ? 'table' : choice('-o', values.output, VERIFY_FORMATS),
      ...(path !== undefined && { ref: parsePath(path) }),
      ...(values['probe-image'] !== undefined && { probeImage: values['probe-image'] }),
      ...(selector !== undefined && { probeNodeSelector: labels('--probe-node-selector', selector) }),
    };
  },
  async run(c, { connect, io }) {
    const [kit, { formatReportJunit, formatReportTable }] = await Promise.all([connect(), import('../../verify/index.ts')]);
    const scope = c.ref && {
      organization: c.ref.organization,
      ...(c.ref.level !== 'organization' && { tenant: c.ref.tenant }),
      ...(c.ref.level === 'space' && { space: c.ref.space }),
    };
    // Ctrl-C stops the live checks, which then remove their probe Spaces before the command exits.
    const stop = new AbortController();
    const onSignal = () => stop.abort(new Error('verify was stopped; its probe Spaces were removed'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const live = c.probeImage && {
        image: c.probeImage,
        signal: stop.signal,
        ...(c.probeNodeSelector && { nodeSelector: c.probeNodeSelector }),
      };
      const report = await kit.verify(scope ?? {}, live ? { live } : {});
      const text =
        c.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : c.format === 'junit'
            ? formatReportJunit(report)
            : formatReportTable(report);
      io.stdout(text);
      return report.passed ? 0 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
});
