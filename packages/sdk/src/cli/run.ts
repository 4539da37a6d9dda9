// Runs one command line: parse it with the command table, then run the definition's action.
// Nothing here loads the SDK or the Kubernetes client; the actions import what they use.
import { SpacekitError } from '../errors.ts';
import type { Spacekit } from '../spacekit.ts';
import { resolveCommandLine } from './args.ts';
import type { CliIo, CommandContext, GlobalOptions, OutputFormat } from './define.ts';
import { CliError, describeError } from './errors.ts';

export type { CliIo } from './define.ts';

/** Runs one `spacekit` command line and returns its exit status: 0 done, 1 failed, 2 usage error. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { global, command, definition } = resolveCommandLine(argv, io.env);
    return await definition.run(command, context(global, io));
  } catch (err) {
    const report = describeError(err, { debug: Boolean(io.env.SPACEKIT_DEBUG) });
    const usage = report.showUsage ? `\n${(await import('./help.ts')).HELP_TEXT}` : '';
    io.stderr(`spacekit: ${report.message}\n${usage}`);
    return report.exitCode;
  }
}

function context(global: GlobalOptions, io: CliIo): CommandContext {
  return {
    io,
    global,
    connect: () => open(global),
    async print(format: OutputFormat, data: unknown, text: () => string) {
      if (format === 'text') io.stdout(text());
      else io.stdout((await import('./output.ts')).formatData(data, format));
    },
  };
}

/** Connects as the global options say; a kubeconfig that cannot be read is the user's to fix, not a bug. */
async function open(global: GlobalOptions): Promise<Spacekit> {
  const { connect } = await import('../spacekit.ts');
  try {
    return await connect({
      ...(global.kubeconfig !== undefined && { kubeconfig: global.kubeconfig }),
      ...(global.context !== undefined && { context: global.context }),
    });
  } catch (err) {
    if (err instanceof SpacekitError) throw err;
    const which = global.kubeconfig ?? 'from $KUBECONFIG or ~/.kube/config';
    throw new CliError(`cannot load the kubeconfig ${which}: ${(err as Error).message}`);
  }
}
