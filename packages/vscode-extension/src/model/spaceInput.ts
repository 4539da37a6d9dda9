import {
  CreateSpaceInputSchema,
  type CreateSpaceInput,
  humanAmount,
  NameError,
  nameProblem,
  NETWORK_PRESETS,
  SANDBOX_MODES,
  type SandboxMode,
  spaceNamespace,
} from '@spacekit/sdk';
import { type Amounts, shortfallMessage, shortfalls } from './budget.ts';
import { milli, shortName } from './usage.ts';

/** A Space size as the flows offer it: CPU and memory, in Kubernetes quantity syntax. */
export interface Size {
  label: string;
  cpu: string;
  memory: string;
}

/** The presets offered when the `spacekit.sizePresets` setting is left as it is. */
export const DEFAULT_SIZES: readonly Size[] = [
  { label: 'Small', cpu: '500m', memory: '1Gi' },
  { label: 'Medium', cpu: '1', memory: '2Gi' },
  { label: 'Large', cpu: '2', memory: '4Gi' },
];

/** The resources a size asks for. */
export function sizeResources(size: Pick<Size, 'cpu' | 'memory'>): Record<string, string> {
  return { cpu: size.cpu, memory: size.memory };
}

/** `cpu 1 · mem 2Gi`. */
export function describeSize(size: Pick<Size, 'cpu' | 'memory'>): string {
  return `cpu ${size.cpu} · mem ${size.memory}`;
}

/**
 * Why `name` cannot name a new Space in this tenant, or undefined when it
 * can: the SDK's own name rules, the 63-character namespace limit of the
 * whole `org--tenant--space` name, and the Spaces already there.
 */
export function spaceNameProblem(
  tenant: { organization: string; tenant: string },
  name: string,
  existing: readonly string[],
): string | undefined {
  const problem = nameProblem('space', name);
  if (problem) return problem;
  try {
    spaceNamespace(tenant.organization, tenant.tenant, name);
  } catch (err) {
    if (err instanceof NameError) return err.message;
    throw err;
  }
  if (existing.includes(name))
    return `tenant ${tenant.organization}/${tenant.tenant} already has a Space named "${name}"; choose another name`;
  return undefined;
}

/** `cpu=2 memory=4Gi`, `2, 4Gi` or `2 cpu 4Gi memory`: what the custom size box accepts. */
export const CUSTOM_SIZE_EXAMPLE = 'cpu=2 memory=4Gi';

/**
 * Reads a custom size. Accepts `cpu=2 memory=4Gi`, or the two amounts in that
 * order (`2 4Gi`, `2, 4Gi`). The amounts are checked by {@link sizeProblem}.
 */
export function parseCustomSize(text: string): { size: Size } | { problem: string } {
  const tokens = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const token of tokens) {
    const [key, value, extra] = token.split('=');
    if (value === undefined) positional.push(token);
    else if (extra !== undefined || !key || !value) return { problem: `"${token}" is not resource=amount; write ${CUSTOM_SIZE_EXAMPLE}` };
    else named.set(key.toLowerCase() === 'mem' ? 'memory' : key.toLowerCase(), value);
  }
  for (const key of named.keys()) {
    if (key !== 'cpu' && key !== 'memory')
      return { problem: `a Space's size is its cpu and memory, not "${key}"; write ${CUSTOM_SIZE_EXAMPLE}` };
  }
  const cpu = named.get('cpu') ?? positional.shift();
  const memory = named.get('memory') ?? positional.shift();
  if (positional.length > 0) return { problem: `"${positional.join(' ')}" is left over; write ${CUSTOM_SIZE_EXAMPLE}` };
  if (cpu === undefined || memory === undefined) return { problem: `give both cpu and memory, such as ${CUSTOM_SIZE_EXAMPLE}` };
  return { size: { label: 'Custom', cpu, memory } };
}

/** The SDK schema's first complaint about these create inputs, as `field: message`. */
export function schemaProblem(input: CreateSpaceInput): string | undefined {
  const parsed = CreateSpaceInputSchema.safeParse(input);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  if (!issue) return undefined;
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Why a size cannot be asked for, or undefined when it can: the SDK's schema
 * first (nothing malformed is sent), then the tenant's remaining budget
 * (nothing too big is sent either).
 */
export function sizeProblem(
  base: { organization: string; tenant: string; name: string },
  size: Pick<Size, 'cpu' | 'memory'>,
  free: Amounts,
  owner: string,
): string | undefined {
  const invalid = schemaProblem({ ...base, resources: sizeResources(size) });
  if (invalid) return invalid;
  const short = shortfalls(sizeResources(size), free);
  return short.length > 0 ? shortfallMessage(short, owner) : undefined;
}

/** The network presets, with what each lets in, for the last step of the flow. */
export const NETWORK_CHOICES: readonly { preset: (typeof NETWORK_PRESETS)[number]; detail: string }[] = NETWORK_PRESETS.map((preset) => ({
  preset,
  detail:
    preset === 'isolated'
      ? 'Only pods of this Space (and the ingress controller) may connect'
      : preset === 'tenant'
        ? 'Pods of any Space of the same tenant may connect too'
        : 'Pods of any Space of the same organization may connect too',
}));

/** The sandbox choices: gVisor (the default) or the node's own runtime. */
export const SANDBOX_CHOICES: readonly { sandbox: SandboxMode; detail: string }[] = SANDBOX_MODES.map((sandbox) => ({
  sandbox,
  detail:
    sandbox === 'gvisor' ? 'Every pod runs under gVisor, a user-space kernel (recommended)' : "Pods run with the node's default runtime",
}));

/** What a finished flow sends: the SDK's own create input. */
export function createInput(
  base: { organization: string; tenant: string; name: string },
  size: Pick<Size, 'cpu' | 'memory'>,
  sandbox: SandboxMode,
  network: (typeof NETWORK_PRESETS)[number],
): CreateSpaceInput {
  return { ...base, resources: sizeResources(size), sandbox, network: { preset: network } };
}

/**
 * A Space's resources with CPU and memory replaced by `size`, whichever
 * spelling (`cpu` or `requests.cpu`) they had, and the rest (pods, storage)
 * kept.
 */
export function withSize(
  resources: Readonly<Record<string, string | number>>,
  size: Pick<Size, 'cpu' | 'memory'>,
): Record<string, string | number> {
  const rest = Object.fromEntries(
    Object.entries(resources).filter(([key]) => !['cpu', 'requests.cpu', 'memory', 'requests.memory'].includes(key)),
  );
  return { ...rest, ...sizeResources(size) };
}

/** The CPU and memory a Space's resources ask for, whichever spelling they use. */
export function sizeOf(resources: Readonly<Record<string, string | number>>, label = 'Current'): Size {
  return {
    label,
    cpu: String(resources.cpu ?? resources['requests.cpu'] ?? '0'),
    memory: String(resources.memory ?? resources['requests.memory'] ?? '0'),
  };
}

/**
 * The resources a new size would cap below what the Space's workloads
 * request now (`used`, quantities by `requests.cpu`/`requests.memory`), as
 * `cpu 500m < 700m used`. Such a resize is allowed, but the Space is over
 * budget at once and new pods are refused until usage falls.
 */
export function belowUsage(size: Pick<Size, 'cpu' | 'memory'>, used: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [resource, asked] of [
    ['requests.cpu', size.cpu],
    ['requests.memory', size.memory],
  ] as const) {
    const now = milli(used[resource]);
    const cap = milli(asked);
    if (now !== undefined && cap !== undefined && cap < now) {
      out.push(`${shortName(resource)} ${humanAmount(resource, cap)} < ${humanAmount(resource, now)} used`);
    }
  }
  return out;
}
