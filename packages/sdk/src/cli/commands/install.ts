import { defineCommand, type OutputFormat, OUTPUT_FLAG, outputFormat, wholeNumber } from '../define.ts';
import { UsageError } from '../errors.ts';

/** What `spacekit install --operator` asks for. */
export interface OperatorInstall {
  replicas?: number;
  image?: string;
}

export interface InstallCommand {
  command: 'install';
  output: OutputFormat;
  operator?: OperatorInstall;
}

export interface UninstallCommand {
  command: 'uninstall';
}

/** `spacekit install`: the cluster-wide pieces, and with --operator the operator's. */
export const install = defineCommand({
  words: ['install'],
  summary:
    "install or upgrade Spacekit's CRDs, roles and admission policies; --operator adds the operator (namespace, ServiceAccount, RBAC, Deployment, metrics Service)",
  flags: {
    operator: { type: 'boolean' },
    'operator-replicas': { type: 'string', value: 'N' },
    'operator-image': { type: 'string', value: 'IMG' },
    ...OUTPUT_FLAG,
  },
  parse({ values: v }): InstallCommand {
    if (!v.operator && (v['operator-replicas'] !== undefined || v['operator-image'] !== undefined)) {
      throw new UsageError('--operator-replicas and --operator-image go with --operator');
    }
    const operator: OperatorInstall = {
      ...(v['operator-replicas'] !== undefined && { replicas: wholeNumber('--operator-replicas', v['operator-replicas'], 0) }),
      ...(v['operator-image'] !== undefined && { image: v['operator-image'] }),
    };
    return { command: 'install', output: outputFormat(v.output), ...(v.operator && { operator }) };
  },
  async run(c, { connect, print }) {
    const [kit, { formatInstallResult }] = await Promise.all([connect(), import('../output.ts')]);
    const result = await kit.install(c.operator ? { operator: c.operator } : {});
    await print(c.output, result, () => formatInstallResult(result));
    return 0;
  },
});

/** `spacekit uninstall`. */
export const uninstall = defineCommand({
  words: ['uninstall'],
  summary: 'remove them again (refused while organizations exist)',
  flags: {},
  parse: (): UninstallCommand => ({ command: 'uninstall' }),
  async run(_c, { connect, io }) {
    await (await connect()).uninstall();
    io.stdout('Spacekit uninstalled\n');
    return 0;
  },
});
