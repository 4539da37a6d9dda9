// What every example shares: which cluster to use, and how a command-line
// example reports a failure.
import { connect, type Spacekit, SpacekitError } from '@spacekit/sdk';

/** Told to a person who ran an example without saying which cluster to use. */
export const NO_CLUSTER = `No cluster given. Set SPACEKIT_KUBECONFIG (or KUBECONFIG) to a kubeconfig file, for example:

  scripts/up                     # a local control plane with Spacekit; prints its kubeconfig
  export SPACEKIT_KUBECONFIG=/tmp/spacekit-cluster-…/admin.kubeconfig

or point it at a kind cluster or a real one (kind get kubeconfig > kind.kubeconfig).
`;

/** A problem with how the example was run; `main` prints it and exits with status 2. */
export class UsageProblem extends Error {}

/**
 * The kubeconfig to use: `$SPACEKIT_KUBECONFIG`, else `$KUBECONFIG`. The
 * examples never fall back to `~/.kube/config`: provisioning Spaces in
 * whatever cluster happens to be current would be a nasty surprise.
 *
 * @throws {UsageProblem} when neither is set.
 */
export function kubeconfigFromEnv(): string {
  const path = process.env.SPACEKIT_KUBECONFIG || process.env.KUBECONFIG;
  if (!path) throw new UsageProblem(NO_CLUSTER);
  return path;
}

/** A Spacekit connection to the cluster the environment names. */
export function connectFromEnv(): Promise<Spacekit> {
  return connect({ kubeconfig: kubeconfigFromEnv() });
}

/**
 * The tenant that pays for the example suites' Spaces: `$SPACEKIT_TENANT`,
 * as `organization/tenant`.
 *
 * @throws {UsageProblem} when it is not set.
 */
export function tenantFromEnv(): string {
  const tenant = process.env.SPACEKIT_TENANT;
  if (!tenant) {
    throw new UsageProblem(
      'Set SPACEKIT_TENANT to the tenant whose budget pays for the test Spaces, as organization/tenant (such as acme/ci).\n' +
        'node packages/examples/src/provision.ts makes one: demo-org/payments.',
    );
  }
  return tenant;
}

/** Reads `--label key=value` flags into labels. */
export function labelsFrom(flags: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(
    flags.map((flag) => {
      const at = flag.indexOf('=');
      if (at < 1) throw new UsageProblem(`--label takes key=value, such as --label team=payments; got "${flag}"`);
      return [flag.slice(0, at), flag.slice(at + 1)];
    }),
  );
}

/**
 * Runs a command-line example: a usage problem exits with status 2 and what
 * to do, a refusal from Spacekit with status 1 and its message (which says
 * what to do next), anything else with its stack.
 */
export async function main(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    // parseArgs refuses unknown flags with a code of its own: that, too, is how the example was run.
    if (err instanceof UsageProblem || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      const message = (err as Error).message;
      process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
      process.exitCode = 2;
    } else if (err instanceof SpacekitError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
