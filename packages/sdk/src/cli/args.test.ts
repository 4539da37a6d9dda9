import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseMember, parsePath, parseRef } from './args.ts';
import { UsageError } from './errors.ts';

const parse = (line: string) => parseCommandLine(line.split(' ').filter(Boolean));
const usageError = (line: string) => {
  try {
    parse(line);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`"${line}" parsed, but a usage error was expected`);
};

describe('parseCommandLine', () => {
  it('reads global options before or after the command', () => {
    expect(parse('--kubeconfig /k --context kind get')).toEqual({
      global: { kubeconfig: '/k', context: 'kind' },
      command: { command: 'get', output: 'text' },
    });
    expect(parse('get acme -o json --kubeconfig=/k')).toEqual({
      global: { kubeconfig: '/k' },
      command: { command: 'get', output: 'json', ref: { level: 'organization', organization: 'acme' } },
    });
  });

  it('turns help in any position into the help command', () => {
    for (const line of ['help', '--help', '-h', 'create space --help', 'get -h']) expect(parse(line).command).toEqual({ command: 'help' });
  });

  it('parses create org with budget, members and policy', () => {
    expect(
      parse(
        'create org acme --cpu 8 --memory 16Gi --resource pods=100 --admin alice --admin group:platform --viewer sa:ci/bot --allow-unsandboxed',
      ).command,
    ).toEqual({
      command: 'create-org',
      output: 'text',
      input: {
        name: 'acme',
        resources: { cpu: '8', memory: '16Gi', pods: '100' },
        members: [
          { kind: 'User', name: 'alice', role: 'admin' },
          { kind: 'Group', name: 'platform', role: 'admin' },
          { kind: 'ServiceAccount', name: 'bot', namespace: 'ci', role: 'viewer' },
        ],
        policy: { allowUnsandboxed: true },
      },
    });
  });

  it('accepts "organization" for "org" and leaves out a policy nobody asked for', () => {
    const { command } = parse('create organization acme --cpu 1');
    expect(command).toEqual({ command: 'create-org', output: 'text', input: { name: 'acme', resources: { cpu: '1' }, members: [] } });
    expect(parse('delete organization acme').command).toEqual({
      command: 'delete',
      ref: { level: 'organization', organization: 'acme' },
      wait: true,
    });
    expect(parse('update organization acme --cpu 2').command).toMatchObject({
      command: 'update',
      ref: { level: 'organization', organization: 'acme' },
    });
  });

  it('parses create tenant ORG/NAME', () => {
    expect(parse('create tenant acme/payments --cpu 4 --memory 8Gi --admin bob -o yaml').command).toEqual({
      command: 'create-tenant',
      output: 'yaml',
      input: {
        organization: 'acme',
        name: 'payments',
        resources: { cpu: '4', memory: '8Gi' },
        members: [{ kind: 'User', name: 'bob', role: 'admin' }],
      },
    });
  });

  it('parses create space with every setting', () => {
    const line =
      'create space acme/payments/dev --cpu 500m --memory 1Gi --sandbox none --pod-security baseline --network tenant --allow-from search/idx --allow-from web/api --developer carol --admin dave --viewer group:audit';
    expect(parse(line).command).toEqual({
      command: 'create-space',
      output: 'text',
      input: {
        organization: 'acme',
        tenant: 'payments',
        name: 'dev',
        resources: { cpu: '500m', memory: '1Gi' },
        sandbox: 'none',
        podSecurity: 'baseline',
        network: { preset: 'tenant', allowFrom: ['search/idx', 'web/api'] },
        members: [
          { kind: 'User', name: 'dave', role: 'admin' },
          { kind: 'User', name: 'carol', role: 'developer' },
          { kind: 'Group', name: 'audit', role: 'viewer' },
        ],
      },
    });
  });

  it('leaves space settings that were not given to the SDK defaults', () => {
    const { command } = parse('create space acme/payments/dev --cpu 1');
    expect(command).toEqual({
      command: 'create-space',
      output: 'text',
      input: { organization: 'acme', tenant: 'payments', name: 'dev', resources: { cpu: '1' }, members: [] },
    });
  });

  it('passes names through for the SDK to judge', () => {
    const { command } = parse('create org Not_A_Name');
    expect(command).toMatchObject({ input: { name: 'Not_A_Name' } });
  });

  it('parses get at every depth', () => {
    expect(parse('get').command).toEqual({ command: 'get', output: 'text' });
    expect(parse('get acme/payments').command).toMatchObject({ ref: { level: 'tenant', organization: 'acme', tenant: 'payments' } });
    expect(parse('get acme/payments/dev -o yaml').command).toEqual({
      command: 'get',
      output: 'yaml',
      ref: { level: 'space', organization: 'acme', tenant: 'payments', space: 'dev' },
    });
  });

  it('parses delete with and without waiting', () => {
    expect(parse('delete org acme').command).toEqual({
      command: 'delete',
      ref: { level: 'organization', organization: 'acme' },
      wait: true,
    });
    expect(parse('delete space acme/payments/dev --no-wait').command).toEqual({
      command: 'delete',
      ref: { level: 'space', organization: 'acme', tenant: 'payments', space: 'dev' },
      wait: false,
    });
  });

  it('parses update as a resize plus space settings', () => {
    expect(parse('update space acme/payments/dev --cpu 2 --network organization').command).toEqual({
      command: 'update',
      output: 'text',
      ref: { level: 'space', organization: 'acme', tenant: 'payments', space: 'dev' },
      resources: { cpu: '2' },
      space: { network: { preset: 'organization' } },
    });
    expect(parse('update tenant acme/payments --memory 16Gi').command).toMatchObject({ resources: { memory: '16Gi' }, space: {} });
  });

  it('parses render, up, install and uninstall', () => {
    expect(parse('render --org acme --tenant payments --space dev --cpu 2 -o json').command).toEqual({
      command: 'render',
      output: 'json',
      input: { organization: 'acme', tenant: 'payments', name: 'dev', resources: { cpu: '2' }, members: [] },
    });
    expect(parse('up --once').command).toEqual({ command: 'up', once: true, output: 'text' });
    expect(parse('up').command).toEqual({ command: 'up', once: false, output: 'text' });
    expect(parse('install -o json').command).toEqual({ command: 'install', output: 'json' });
    expect(parse('uninstall').command).toEqual({ command: 'uninstall' });
  });

  it.each([
    ['', 'no command given'],
    ['frobnicate', 'unknown command "frobnicate"'],
    ['create', 'create what? Use: spacekit create org|tenant|space ...'],
    ['create widget x', 'create what? Use: spacekit create org|tenant|space ... (not "widget")'],
    ['create org', 'spacekit create org needs ORG, such as acme'],
    ['create org acme extra', 'unexpected argument "extra" for spacekit create org'],
    ['create tenant acme', 'expected ORG/TENANT, such as acme/payments, not "acme"'],
    ['create space acme/payments', 'expected ORG/TENANT/SPACE, such as acme/payments/dev, not "acme/payments"'],
    ['create space acme//dev', 'expected ORG/TENANT/SPACE, such as acme/payments/dev, not "acme//dev"'],
    ['delete space a/b/c/d', 'expected ORG/TENANT/SPACE, such as acme/payments/dev, not "a/b/c/d"'],
    ['get a/b/c/d', 'expected ORG, ORG/TENANT or ORG/TENANT/SPACE, such as acme/payments/dev, not "a/b/c/d"'],
    ['get a b', 'unexpected argument "b" for spacekit get'],
    ['create org acme --bogus', 'unknown option --bogus for spacekit create org'],
    ['create org acme --sandbox none', 'unknown option --sandbox for spacekit create org'],
    ['create org acme --cpu', '--cpu needs a value (spacekit create org)'],
    ['create space a/b/c --sandbox kata', '--sandbox takes gvisor, none; not "kata"'],
    ['create space a/b/c --network open', '--network takes isolated, tenant, organization; not "open"'],
    ['create space a/b/c --pod-security lax', '--pod-security takes restricted, baseline, privileged; not "lax"'],
    ['get -o xml', '-o takes text, json, yaml; not "xml"'],
    ['delete org acme -o json', 'unknown option -o for spacekit delete org'],
    ['update org acme', 'update org needs something to change: --cpu, --memory or --resource'],
    [
      'render --org acme',
      'render needs --tenant, --space, such as: spacekit render --org acme --tenant payments --space dev --cpu 2 --memory 4Gi',
    ],
    [
      'create tenant a/b --cpu 1 --resource requests.cpu=2',
      'requests.cpu is given twice (--cpu and --resource requests.cpu=2); give it once',
    ],
    ['create tenant a/b --resource pods', '--resource takes NAME=QUANTITY, such as pods=20 or requests.nvidia.com/gpu=1, not "pods"'],
    ['create space a/b/c --developer sa:nobody', '--developer sa:nobody: a ServiceAccount is sa:NAMESPACE/NAME, such as sa:ci/deployer'],
  ])('refuses %j', (line, message) => {
    expect(usageError(line)).toBe(message);
  });
});

describe('parseRef and parsePath', () => {
  it('splits names of each level', () => {
    expect(parseRef('acme', 'organization')).toEqual({ level: 'organization', organization: 'acme' });
    expect(parseRef('acme/payments/dev', 'space')).toEqual({ level: 'space', organization: 'acme', tenant: 'payments', space: 'dev' });
    expect(parsePath('acme/payments')).toEqual({ level: 'tenant', organization: 'acme', tenant: 'payments' });
  });

  it('explains the expected shape with an example', () => {
    expect(() => parseRef('acme/payments', 'organization')).toThrow('expected ORG, such as acme, not "acme/payments"');
    expect(() => parseRef('', 'tenant')).toThrow(/^expected ORG\/TENANT, such as acme\/payments$/);
    expect(() => parsePath('acme/')).toThrow('expected ORG/TENANT, such as acme/payments, not "acme/"');
  });
});

describe('parseMember', () => {
  it('reads users, groups and service accounts', () => {
    expect(parseMember('alice', 'admin')).toEqual({ kind: 'User', name: 'alice', role: 'admin' });
    expect(parseMember('system:admin', 'viewer')).toEqual({ kind: 'User', name: 'system:admin', role: 'viewer' });
    expect(parseMember('user:group:odd', 'viewer')).toEqual({ kind: 'User', name: 'group:odd', role: 'viewer' });
    expect(parseMember('group:devs', 'developer')).toEqual({ kind: 'Group', name: 'devs', role: 'developer' });
    expect(parseMember('serviceaccount:ci/deployer', 'developer')).toEqual({
      kind: 'ServiceAccount',
      name: 'deployer',
      namespace: 'ci',
      role: 'developer',
    });
  });

  it('refuses an empty name', () => {
    expect(() => parseMember('group:', 'admin')).toThrow('--admin needs a name: a user, group:NAME or sa:NAMESPACE/NAME, not "group:"');
  });
});

describe('operator and usage commands', () => {
  it('parses install --operator with its options, and refuses them without --operator', () => {
    expect(parse('install --operator --operator-replicas 0 --operator-image reg.example/spacekit:1').command).toEqual({
      command: 'install',
      output: 'text',
      operator: { replicas: 0, image: 'reg.example/spacekit:1' },
    });
    expect(parse('install').command).toEqual({ command: 'install', output: 'text' });
    expect(usageError('install --operator-replicas 2')).toMatch(/go with --operator/);
    expect(usageError('install --operator --operator-replicas two')).toMatch(/whole number/);
  });

  it('parses operator with defaults a person can run on a laptop', () => {
    const line = parseCommandLine(['operator'], { HOME: '/home/ana' });
    expect(line.command).toEqual({
      command: 'operator',
      options: {
        metricsAddress: '127.0.0.1:9090',
        leaderElect: false,
        meter: {},
        meterIntervalMs: 60_000,
        meterRetention: {},
        logFormat: 'json',
        logLevel: 'info',
      },
    });
    const tuned = parseCommandLine(
      'operator --leader-elect --metrics-addr :9100 --organization-selector team=a --workers 8 --meter-dir /var/meter --meter-interval 30s --meter-bucket 5m --log-format text'.split(
        ' ',
      ),
      {},
    ).command;
    expect(tuned).toMatchObject({
      options: {
        leaderElect: true,
        metricsAddress: ':9100',
        organizationSelector: 'team=a',
        workers: 8,
        meter: { dir: '/var/meter' },
        meterIntervalMs: 30_000,
        meterBucketMs: 300_000,
        logFormat: 'text',
      },
    });
    expect(parse('operator --no-meter').command).toHaveProperty('options.meter', false);
    expect(usageError('operator --no-meter --meter-dir /x')).toMatch(/contradict/);
    expect(usageError('operator --meter-interval soon')).toMatch(/--meter-interval/);
  });

  it('parses how long metered usage is kept at each resolution', () => {
    expect(parse('operator --meter-keep-minutes 3d --meter-keep-hours 60d --meter-keep 730d').command).toMatchObject({
      options: { meterRetention: { minutesForMs: 3 * 86_400_000, hoursForMs: 60 * 86_400_000, retentionMs: 730 * 86_400_000 } },
    });
    expect(usageError('operator --meter-keep forever')).toMatch(/--meter-keep/);
    expect(usageError('operator --meter-keep-minutes 12h')).toMatch(/minute buckets must be kept for at least a day/);
    expect(usageError('operator --meter-keep-hours 40d --meter-keep 30d')).toMatch(
      /the retention must be at least as long as hour buckets/,
    );
  });

  it('parses --watch-timeout as a duration, and refuses one that is not', () => {
    expect(parse('operator --watch-timeout 5s').command).toMatchObject({ options: { watchTimeoutMs: 5_000 } });
    expect(parse('operator').command).not.toHaveProperty('options.watchTimeoutMs');
    expect(usageError('operator --watch-timeout soon')).toMatch(/--watch-timeout/);
  });

  it('parses usage with a scope and --watch, and usage report with its window, level and source', () => {
    expect(parse('usage acme/payments --watch -o json').command).toEqual({
      command: 'usage',
      output: 'json',
      watch: true,
      ref: { level: 'tenant', organization: 'acme', tenant: 'payments' },
    });
    expect(parseCommandLine(['usage', 'report'], {}).command).toEqual({
      command: 'usage-report',
      sinceMs: 7 * 86_400_000,
      by: 'space',
      format: 'table',
    });
    expect(parse('usage report acme/payments --since 15m').command).toEqual({
      command: 'usage-report',
      sinceMs: 15 * 60_000,
      by: 'space',
      format: 'table',
      ref: { level: 'tenant', organization: 'acme', tenant: 'payments' },
    });
    expect(parse('usage report --store /var/meter').command).toMatchObject({ store: '/var/meter' });
    expect(usageError('usage report acme --store /var/meter')).toMatch(/a scope .* reads the cluster/);
    expect(parse('usage report --since 12h --by tenant -o csv --operator http://127.0.0.1:9090').command).toMatchObject({
      sinceMs: 12 * 3_600_000,
      by: 'tenant',
      format: 'csv',
      operatorUrl: 'http://127.0.0.1:9090',
    });
    expect(usageError('usage report --by team')).toMatch(/--by takes space, tenant, organization/);
    expect(usageError('usage report --store /a --operator http://x')).toMatch(/pick one/);
  });
});
