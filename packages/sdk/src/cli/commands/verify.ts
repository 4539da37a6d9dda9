import { choice, defineCommand, parsePath, type Ref } from '../define.ts';

/** What `verify -o` prints. */
export const VERIFY_FORMATS = ['table', 'json', 'junit'] as const;

export interface VerifyCommand {
  command: 'verify';
  format: (typeof VERIFY_FORMATS)[number];
  ref?: Ref;
}

/** `spacekit verify [PATH] [-o table|json|junit]`: the tenancy checks; exit 0 only when none failed. */
export const verify = defineCommand({
  words: ['verify'],
  operands: '[ORG[/TENANT[/SPACE]]]',
  arity: { max: 1 },
  summary: 'checks that tenants are kept apart and within budget, changing nothing; exits 1 when a check fails',
  flags: { output: { type: 'string', short: 'o', value: VERIFY_FORMATS.join('|') } },
  parse({ values, operands: [path] }): VerifyCommand {
    return {
      command: 'verify',
      format: values.output === undefined ? 'table' : choice('-o', values.output, VERIFY_FORMATS),
      ...(path !== undefined && { ref: parsePath(path) }),
    };
  },
  async run(c, { connect, io }) {
    const [kit, { formatReportJunit, formatReportTable }] = await Promise.all([connect(), import('../../verify/index.ts')]);
    const scope = c.ref && {
      organization: c.ref.organization,
      ...(c.ref.level !== 'organization' && { tenant: c.ref.tenant }),
      ...(c.ref.level === 'space' && { space: c.ref.space }),
    };
    const report = await kit.verify(scope ?? {});
    const text =
      c.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : c.format === 'junit'
          ? formatReportJunit(report)
          : formatReportTable(report);
    io.stdout(text);
    return report.passed ? 0 : 1;
  },
});
