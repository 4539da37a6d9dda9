import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { CreateOrganizationInput, CreateSpaceInput, CreateTenantInput } from '../api/inputs.ts';
import { NETWORK_PRESETS, POD_SECURITY_LEVELS, type SpaceSpecInput } from '../model/index.ts';
import { parseDuration } from '../meter/index.ts';
import { UsageError } from './errors.ts';
import { resourcesFromFlags } from './resources.ts';

/** What `-o` accepts. */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options that apply to every command. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
}

/** An Organization, Tenant or Space named on the command line. */
export type Ref =
  | { level: 'organization'; organization: string }
  | { level: 'tenant'; organization: string; tenant: string }
  | { level: 'space'; organization: string; tenant: string; space: string };
export type Level = Ref['level'];

/** The space settings `update space` can change besides its resources. */
export interface SpaceChanges {
  sandbox?: 'gvisor' | 'none';
  podSecurity?: (typeof POD_SECURITY_LEVELS)[number];
  network?: { preset?: (typeof NETWORK_PRESETS)[number]; allowFrom?: string[] };
}

/** What `spacekit install --operator` asks for. */
export interface OperatorInstall {
  replicas?: number;
  image?: string;
}

/** What `spacekit operator` runs with; see USAGE for the flags. */
export interface OperatorCommand {
  metricsAddress: string;
  leaderElect: boolean;
  leaseNamespace?: string;
  identity?: string;
  organizationSelector?: string;
  workers?: number;
  /** undefined: no metering. */
  meterDir?: string;
  meterIntervalMs: number;
  meterBucketMs?: number;
  orphanGraceMs?: number;
  logFormat: 'json' | 'text';
  logLevel: 'info' | 'debug';
}

/** The report formats of `usage report`. */
export const REPORT_FORMATS = ['table', 'csv', 'json'] as const;
/** The levels a usage report totals by. */
export const REPORT_LEVELS = ['space', 'tenant', 'organization'] as const;

/** One parsed command, ready to run. */
export type Command =
  | { command: 'help' }
  | { command: 'install'; output: OutputFormat; operator?: OperatorInstall }
  | { command: 'operator'; options: OperatorCommand }
  | { command: 'usage'; output: OutputFormat; ref?: Ref; watch: boolean }
  | {
      command: 'usage-report';
      sinceMs: number;
      by: (typeof REPORT_LEVELS)[number];
      format: (typeof REPORT_FORMATS)[number];
      /** Read an operator's report endpoint instead of a local store. */
      operatorUrl?: string;
      store: string;
    }
  | { command: 'uninstall' }
  | { command: 'up'; once: boolean; output: OutputFormat }
  | { command: 'get'; output: OutputFormat; ref?: Ref }
  | { command: 'create-org'; output: OutputFormat; input: CreateOrganizationInput }
  | { command: 'create-tenant'; output: OutputFormat; input: CreateTenantInput }
  | { command: 'create-space'; output: OutputFormat; input: CreateSpaceInput }
  | { command: 'update'; output: OutputFormat; ref: Ref; resources: Record<string, string>; space: SpaceChanges }
  | { command: 'delete'; ref: Ref; wait: boolean }
  | { command: 'render'; output: OutputFormat; input: CreateSpaceInput };

/** A whole command line: global options plus the command. */
export interface CommandLine {
  global: GlobalOptions;
  command: Command;
}

const GLOBAL_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

const OUTPUT_OPTION = { output: { type: 'string', short: 'o' } } as const satisfies ParseArgsOptionsConfig;

const RESOURCE_OPTIONS = {
  cpu: { type: 'string' },
  memory: { type: 'string' },
  resource: { type: 'string', multiple: true },
} as const satisfies ParseArgsOptionsConfig;

const SPACE_SETTINGS_OPTIONS = {
  sandbox: { type: 'string' },
  'pod-security': { type: 'string' },
  network: { type: 'string' },
  'allow-from': { type: 'string', multiple: true },
} as const satisfies ParseArgsOptionsConfig;

const MEMBER_OPTIONS = {
  admin: { type: 'string', multiple: true },
  viewer: { type: 'string', multiple: true },
} as const satisfies ParseArgsOptionsConfig;

const SPACE_MEMBER_OPTIONS = { ...MEMBER_OPTIONS, developer: { type: 'string', multiple: true } } as const satisfies ParseArgsOptionsConfig;

/** Global options whose value is the next word, which must not be mistaken for the command. */
const GLOBAL_VALUE_FLAGS = new Set(['--kubeconfig', '--context', '-o', '--output']);

const SHAPES: Record<Level, { shape: string; example: string }> = {
  organization: { shape: 'ORG', example: 'acme' },
  tenant: { shape: 'ORG/TENANT', example: 'acme/payments' },
  space: { shape: 'ORG/TENANT/SPACE', example: 'acme/payments/dev' },
};

const LEVEL_WORDS: Record<string, Level> = {
  org: 'organization',
  organization: 'organization',
  tenant: 'tenant',
  space: 'space',
};

/**
 * Parses `spacekit`'s arguments (without `node` and the script).
 *
 * @throws {UsageError} with a message that says what was expected.
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CommandLine {
  const words = commandWords(argv);
  if (words.help) return { global: {}, command: { command: 'help' } };
  const [name, kind] = words.positionals;
  switch (name) {
    case undefined:
      throw new UsageError('no command given');
    case 'help':
      return { global: {}, command: { command: 'help' } };
    case 'install': {
      const options = { ...OUTPUT_OPTION, operator: { type: 'boolean' }, 'operator-replicas': { type: 'string' }, 'operator-image': { type: 'string' } } as const;
      const { global, output: v } = parse(argv, ['install'], options);
      if (!v.operator && (v['operator-replicas'] !== undefined || v['operator-image'] !== undefined)) {
        throw new UsageError('--operator-replicas and --operator-image go with --operator');
      }
      const operator: OperatorInstall = {
        ...(v['operator-replicas'] !== undefined && { replicas: wholeNumber('--operator-replicas', v['operator-replicas'], 0) }),
        ...(v['operator-image'] !== undefined && { image: v['operator-image'] }),
      };
      return { global, command: { command: 'install', output: outputFormat(v.output), ...(v.operator && { operator }) } };
    }
    case 'operator':
      return parseOperator(argv, env);
    case 'usage':
      return kind === 'report' ? parseUsageReport(argv, env) : parseUsage(argv);
    case 'uninstall': {
      const { global } = parse(argv, ['uninstall'], {});
      return { global, command: { command: 'uninstall' } };
    }
    case 'up': {
      const { global, output } = parse(argv, ['up'], { ...OUTPUT_OPTION, once: { type: 'boolean' } });
      return { global, command: { command: 'up', once: output.once ?? false, output: outputFormat(output.output) } };
    }
    case 'get': {
      const { global, output, rest } = parse(argv, ['get'], OUTPUT_OPTION, { max: 1 });
      const path = rest[0];
      const command: Command = { command: 'get', output: outputFormat(output.output), ...(path !== undefined && { ref: parsePath(path) }) };
      return { global, command };
    }
    case 'create':
      return parseCreate(argv, level(kind, 'create'), kind ?? '');
    case 'update':
      return parseUpdate(argv, level(kind, 'update'), kind ?? '');
    case 'delete': {
      const lvl = level(kind, 'delete');
      const { global, output, rest } = parse(argv, ['delete', kind ?? ''], { 'no-wait': { type: 'boolean' } }, { min: 1, max: 1, what: SHAPES[lvl].shape });
      return { global, command: { command: 'delete', ref: parseRef(rest[0] ?? '', lvl), wait: !(output['no-wait'] ?? false) } };
    }
    case 'render':
      return parseRender(argv);
    default:
      throw new UsageError(`unknown command "${name}"`);
  }
}

function parseOperator(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  const options = {
    'metrics-addr': { type: 'string' },
    'leader-elect': { type: 'boolean' },
    'lease-namespace': { type: 'string' },
    identity: { type: 'string' },
    'organization-selector': { type: 'string' },
    workers: { type: 'string' },
    'meter-dir': { type: 'string' },
    'meter-interval': { type: 'string' },
    'meter-bucket': { type: 'string' },
    'no-meter': { type: 'boolean' },
    'orphan-grace': { type: 'string' },
    'log-format': { type: 'string' },
    'log-level': { type: 'string' },
  } as const;
  const { global, output: v } = parse(argv, ['operator'], options);
  if (v['no-meter'] && v['meter-dir'] !== undefined) throw new UsageError('--no-meter and --meter-dir contradict each other; pick one');
  const options_: OperatorCommand = {
    metricsAddress: v['metrics-addr'] ?? '127.0.0.1:9090',
    leaderElect: v['leader-elect'] ?? false,
    ...(v['lease-namespace'] !== undefined && { leaseNamespace: v['lease-namespace'] }),
    ...(v.identity !== undefined && { identity: v.identity }),
    ...(v['organization-selector'] !== undefined && { organizationSelector: v['organization-selector'] }),
    ...(v.workers !== undefined && { workers: wholeNumber('--workers', v.workers, 1) }),
    ...(!v['no-meter'] && { meterDir: v['meter-dir'] ?? defaultMeterDir(env) }),
    meterIntervalMs: duration('--meter-interval', v['meter-interval'] ?? '60s'),
    ...(v['meter-bucket'] !== undefined && { meterBucketMs: duration('--meter-bucket', v['meter-bucket']) }),
    ...(v['orphan-grace'] !== undefined && { orphanGraceMs: duration('--orphan-grace', v['orphan-grace']) }),
    logFormat: v['log-format'] === undefined ? 'json' : choice('--log-format', v['log-format'], ['json', 'text'] as const),
    logLevel: v['log-level'] === undefined ? 'info' : choice('--log-level', v['log-level'], ['info', 'debug'] as const),
  };
  return { global, command: { command: 'operator', options: options_ } };
}

function parseUsage(argv: readonly string[]): CommandLine {
  const { global, output, rest } = parse(argv, ['usage'], { ...OUTPUT_OPTION, watch: { type: 'boolean', short: 'w' } }, { max: 1 });
  const path = rest[0];
  return { global, command: { command: 'usage', output: outputFormat(output.output), watch: output.watch ?? false, ...(path !== undefined && { ref: parsePath(path) }) } };
}

function parseUsageReport(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CommandLine {
  const options = {
    since: { type: 'string' },
    by: { type: 'string' },
    output: { type: 'string', short: 'o' },
    store: { type: 'string' },
    operator: { type: 'string' },
  } as const;
  const { global, output: v } = parse(argv, ['usage', 'report'], options);
  if (v.store !== undefined && v.operator !== undefined) throw new UsageError('--store and --operator are two sources; pick one');
  return {
    global,
    command: {
      command: 'usage-report',
      sinceMs: duration('--since', v.since ?? '7d'),
      by: v.by === undefined ? 'space' : choice('--by', v.by, REPORT_LEVELS),
      format: v.output === undefined ? 'table' : choice('-o', v.output, REPORT_FORMATS),
      store: v.store ?? defaultMeterDir(env),
      ...(v.operator !== undefined && { operatorUrl: v.operator }),
    },
  };
}

/**
 * Where the meter keeps its records when no directory is given: beside the
 * user's other state, so that `spacekit operator` and `spacekit usage report`
 * on one machine meet without a flag.
 */
export function defaultMeterDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.SPACEKIT_METER_DIR) return env.SPACEKIT_METER_DIR;
  const state = env.XDG_STATE_HOME || `${env.HOME ?? '.'}/.local/state`;
  return `${state}/spacekit/meter`;
}

function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min) throw new UsageError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`);
  return n;
}

function duration(flag: string, value: string): number {
  try {
    return parseDuration(value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `word` is the level as the user spelled it (`org` or `organization`). */
function parseCreate(argv: readonly string[], lvl: Level, word: string): CommandLine {
  const what = { min: 1, max: 1, what: SHAPES[lvl].shape };
  switch (lvl) {
    case 'organization': {
      const options = {
        ...OUTPUT_OPTION,
        ...RESOURCE_OPTIONS,
        ...MEMBER_OPTIONS,
        'allow-unsandboxed': { type: 'boolean' },
        'allow-privileged': { type: 'boolean' },
      } as const;
      const { global, output: v, rest } = parse(argv, ['create', word], options, what);
      const ref = parseRef(rest[0] ?? '', 'organization');
      const policy = {
        ...(v['allow-unsandboxed'] && { allowUnsandboxed: true }),
        ...(v['allow-privileged'] && { allowPrivileged: true }),
      };
      const input: CreateOrganizationInput = {
        name: ref.organization,
        resources: resourcesFromFlags(v),
        members: [...members(v.admin, 'admin'), ...members(v.viewer, 'viewer')],
        ...(Object.keys(policy).length > 0 && { policy }),
      };
      return { global, command: { command: 'create-org', output: outputFormat(v.output), input } };
    }
    case 'tenant': {
      const { global, output: v, rest } = parse(argv, ['create', word], { ...OUTPUT_OPTION, ...RESOURCE_OPTIONS, ...MEMBER_OPTIONS }, what);
      const ref = parseRef(rest[0] ?? '', 'tenant');
      const input: CreateTenantInput = {
        organization: ref.organization,
        name: ref.tenant,
        resources: resourcesFromFlags(v),
        members: [...members(v.admin, 'admin'), ...members(v.viewer, 'viewer')],
      };
      return { global, command: { command: 'create-tenant', output: outputFormat(v.output), input } };
    }
    case 'space': {
      const options = { ...OUTPUT_OPTION, ...RESOURCE_OPTIONS, ...SPACE_SETTINGS_OPTIONS, ...SPACE_MEMBER_OPTIONS } as const;
      const { global, output: v, rest } = parse(argv, ['create', word], options, what);
      const ref = parseRef(rest[0] ?? '', 'space');
      const input: CreateSpaceInput = { organization: ref.organization, tenant: ref.tenant, name: ref.space, ...spaceSpecFromFlags(v) };
      return { global, command: { command: 'create-space', output: outputFormat(v.output), input } };
    }
  }
}

function parseUpdate(argv: readonly string[], lvl: Level, word: string): CommandLine {
  const options = lvl === 'space' ? { ...OUTPUT_OPTION, ...RESOURCE_OPTIONS, ...SPACE_SETTINGS_OPTIONS } : { ...OUTPUT_OPTION, ...RESOURCE_OPTIONS };
  const { global, output: v, rest } = parse(argv, ['update', word], options, { min: 1, max: 1, what: SHAPES[lvl].shape });
  const ref = parseRef(rest[0] ?? '', lvl);
  const resources = resourcesFromFlags(v);
  const space = lvl === 'space' ? spaceSettings(v as SpaceSettingsFlags) : {};
  if (Object.keys(resources).length === 0 && Object.keys(space).length === 0) {
    const flags = lvl === 'space' ? '--cpu, --memory, --resource, --sandbox, --pod-security, --network or --allow-from' : '--cpu, --memory or --resource';
    throw new UsageError(`update ${word} needs something to change: ${flags}`);
  }
  return { global, command: { command: 'update', output: outputFormat(v.output), ref, resources, space } };
}

function parseRender(argv: readonly string[]): CommandLine {
  const options = {
    ...OUTPUT_OPTION,
    org: { type: 'string' },
    tenant: { type: 'string' },
    space: { type: 'string' },
    ...RESOURCE_OPTIONS,
    ...SPACE_SETTINGS_OPTIONS,
    ...SPACE_MEMBER_OPTIONS,
  } as const;
  const { global, output: v } = parse(argv, ['render'], options);
  const missing = (['org', 'tenant', 'space'] as const).filter((flag) => !v[flag]);
  if (missing.length > 0) {
    throw new UsageError(`render needs ${missing.map((m) => `--${m}`).join(', ')}, such as: spacekit render --org acme --tenant payments --space dev --cpu 2 --memory 4Gi`);
  }
  const input: CreateSpaceInput = { organization: v.org ?? '', tenant: v.tenant ?? '', name: v.space ?? '', ...spaceSpecFromFlags(v) };
  return { global, command: { command: 'render', output: outputFormat(v.output), input } };
}

interface SpaceSettingsFlags {
  sandbox?: string | undefined;
  'pod-security'?: string | undefined;
  network?: string | undefined;
  'allow-from'?: string[] | undefined;
}

function spaceSettings(v: SpaceSettingsFlags): SpaceChanges {
  const network = {
    ...(v.network !== undefined && { preset: choice('--network', v.network, NETWORK_PRESETS) }),
    ...(v['allow-from'] !== undefined && { allowFrom: v['allow-from'] }),
  };
  return {
    ...(v.sandbox !== undefined && { sandbox: choice('--sandbox', v.sandbox, ['gvisor', 'none'] as const) }),
    ...(v['pod-security'] !== undefined && { podSecurity: choice('--pod-security', v['pod-security'], POD_SECURITY_LEVELS) }),
    ...(Object.keys(network).length > 0 && { network }),
  };
}

function spaceSpecFromFlags(
  v: SpaceSettingsFlags & { cpu?: string | undefined; memory?: string | undefined; resource?: string[] | undefined; admin?: string[] | undefined; developer?: string[] | undefined; viewer?: string[] | undefined },
): SpaceSpecInput {
  return {
    resources: resourcesFromFlags(v),
    ...spaceSettings(v),
    members: [...members(v.admin, 'admin'), ...members(v.developer, 'developer'), ...members(v.viewer, 'viewer')],
  };
}

/**
 * Parses a member flag's value: a user name, `group:NAME`, `sa:NAMESPACE/NAME`
 * (a ServiceAccount), or `user:NAME` for a user whose name itself starts with
 * one of those prefixes.
 */
export function parseMember<R extends string>(
  text: string,
  role: R,
): { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string; role: R } {
  const prefixed = /^(user|group|sa|serviceaccount):(.*)$/.exec(text);
  const [, prefix, rest = ''] = prefixed ?? [undefined, undefined, text];
  const name = prefixed ? rest : text;
  if (name === '') throw new UsageError(`--${role} needs a name: a user, group:NAME or sa:NAMESPACE/NAME, not "${text}"`);
  if (prefix === 'group') return { kind: 'Group', name, role };
  if (prefix === 'sa' || prefix === 'serviceaccount') {
    const [namespace, account, extra] = name.split('/');
    if (!namespace || !account || extra !== undefined) {
      throw new UsageError(`--${role} ${text}: a ServiceAccount is sa:NAMESPACE/NAME, such as sa:ci/deployer`);
    }
    return { kind: 'ServiceAccount', name: account, namespace, role };
  }
  return { kind: 'User', name, role };
}

function members<R extends string>(values: readonly string[] | undefined, role: R) {
  return (values ?? []).map((v) => parseMember(v, role));
}

function choice<const T extends readonly string[]>(flag: string, value: string, allowed: T): T[number] {
  if (!allowed.includes(value)) throw new UsageError(`${flag} takes ${allowed.join(', ')}; not "${value}"`);
  return value as T[number];
}

function outputFormat(value: string | undefined): OutputFormat {
  return value === undefined ? 'text' : choice('-o', value, OUTPUT_FORMATS);
}

function level(word: string | undefined, verb: string): Level {
  const lvl = word === undefined ? undefined : LEVEL_WORDS[word];
  if (!lvl) throw new UsageError(`${verb} what? Use: spacekit ${verb} org|tenant|space ...${word === undefined ? '' : ` (not "${word}")`}`);
  return lvl;
}

/**
 * Parses a name of the given level: `acme`, `acme/payments` or `acme/payments/dev`.
 * Only the shape is checked; whether each name is allowed is the SDK's call,
 * so that its message (with the rules for names) reaches the user.
 */
export function parseRef<L extends Level>(text: string, lvl: L): Extract<Ref, { level: L }> {
  const parts = text.split('/');
  const { shape, example } = SHAPES[lvl];
  const depth = lvl === 'organization' ? 1 : lvl === 'tenant' ? 2 : 3;
  if (parts.length !== depth || parts.some((p) => p === '')) {
    throw new UsageError(`expected ${shape}, such as ${example}${text === '' ? '' : `, not "${text}"`}`);
  }
  const [organization = '', tenant = '', space = ''] = parts;
  const ref: Ref =
    lvl === 'organization'
      ? { level: 'organization', organization }
      : lvl === 'tenant'
        ? { level: 'tenant', organization, tenant }
        : { level: 'space', organization, tenant, space };
  return ref as Extract<Ref, { level: L }>;
}

/** Parses what `get` takes: `ORG`, `ORG/TENANT` or `ORG/TENANT/SPACE`. */
export function parsePath(text: string): Ref {
  const depth = text.split('/').length;
  if (depth > 3) throw new UsageError(`expected ORG, ORG/TENANT or ORG/TENANT/SPACE, such as acme/payments/dev, not "${text}"`);
  return parseRef(text, depth === 1 ? 'organization' : depth === 2 ? 'tenant' : 'space');
}

/** The words that choose the command, skipping options and the values of global options. */
function commandWords(argv: readonly string[]): { positionals: string[]; help: boolean } {
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') return { positionals, help: true };
    if (GLOBAL_VALUE_FLAGS.has(arg)) i += 1;
    else if (!arg.startsWith('-') || arg === '-') positionals.push(arg);
  }
  return { positionals, help: false };
}

/**
 * Parses argv strictly with the global options plus `options`, checks that
 * the command words come first, and returns the remaining positionals.
 */
function parse<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  lead: readonly string[],
  options: O,
  arity: { min?: number; max?: number; what?: string } = { max: 0 },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseArgsProblem(err, lead.join(' ')));
  }
  const { positionals, values } = parsed;
  if (lead.some((word, i) => positionals[i] !== word)) {
    throw new UsageError(`put options after the command: spacekit ${lead.join(' ')} ...`);
  }
  const rest = positionals.slice(lead.length);
  const { min = 0, max = 0, what = '' } = arity;
  if (rest.length < min) throw new UsageError(`spacekit ${lead.join(' ')} needs ${what}, such as ${example(what)}`);
  if (rest.length > max) throw new UsageError(`unexpected argument "${rest[max]}" for spacekit ${lead.join(' ')}`);
  const { kubeconfig, context } = values as { kubeconfig?: string; context?: string };
  const global: GlobalOptions = { ...(kubeconfig !== undefined && { kubeconfig }), ...(context !== undefined && { context }) };
  return { global, output: values, rest };
}

function example(shape: string): string {
  return Object.values(SHAPES).find((s) => s.shape === shape)?.example ?? shape;
}

// Node's messages suggest `--` for positionals that start with a dash, which
// never applies here; name the option and the command instead.
function parseArgsProblem(err: unknown, command: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message;
  const option = /'([^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option} for spacekit ${command}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option} needs a value (spacekit ${command})`;
  return message;
}
