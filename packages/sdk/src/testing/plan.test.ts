import { describe, expect, it } from 'vitest';
import { NameError, ValidationError } from '../errors.ts';
import { MAX_NAMESPACE_LENGTH, nameProblem, spaceNamespace } from '../model/index.ts';
import {
  checkEphemeralOptions,
  EPHEMERAL_LABEL,
  ephemeralSpaceInput,
  ephemeralSpaceName,
  mergeResources,
  parseTenant,
  randomSuffix,
  SUFFIX_LENGTH,
  tokenLifetimeSeconds,
} from './plan.ts';

const acme = { organization: 'acme', name: 'ci' };
const origin = { pid: 4242, host: 'runner-7' };

describe('parseTenant', () => {
  it('takes "organization/tenant" and { organization, name } alike', () => {
    expect(parseTenant('acme/ci')).toEqual(acme);
    expect(parseTenant({ organization: 'acme', name: 'ci' })).toEqual(acme);
  });

  it.each(['acme', 'acme/', '/ci', 'acme/ci/extra', ''])('refuses %j with the form to write', (text) => {
    const err = (() => {
      try {
        parseTenant(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]).toMatchObject({ path: 'tenant', message: expect.stringContaining('organization/tenant') });
  });

  it('refuses names that cannot be, before any request', () => {
    expect(() => parseTenant('Acme/ci')).toThrow(NameError);
    expect(() => parseTenant('acme/c--i')).toThrow(/contains "--"/);
  });
});

describe('ephemeralSpaceName', () => {
  it('is <prefix>-<suffix>, a valid Space name', () => {
    const suffix = randomSuffix();
    const name = ephemeralSpaceName(acme, 'test', suffix);
    expect(name).toBe(`test-${suffix}`);
    expect(nameProblem('space', name)).toBeUndefined();
    expect(spaceNamespace('acme', 'ci', name)).toBe(`acme--ci--test-${suffix}`);
  });

  it('uses lowercase hex of a fixed length, different each time', () => {
    const suffixes = new Set(Array.from({ length: 200 }, () => randomSuffix()));
    expect(suffixes.size).toBe(200);
    for (const suffix of suffixes) expect(suffix).toMatch(new RegExp(`^[0-9a-f]{${SUFFIX_LENGTH}}$`));
  });

  it('refuses a prefix that is not a name, saying it is the prefix', () => {
    for (const prefix of ['', 'Test', 'a--b', '-x', 'x-']) {
      expect(() => ephemeralSpaceName(acme, prefix, '00000000'), prefix).toThrow(NameError);
    }
    expect(() => ephemeralSpaceName(acme, 'a--b', '00000000')).toThrow(/prefix.*starts the names of ephemeral Spaces/);
  });

  it('says by how much to shorten the prefix when the namespace would pass 63 characters', () => {
    const tenant = { organization: 'organization-with-a-long-name', name: 'tenant' };
    // 29 + 2 + 6 + 2 = 39 characters before the Space name; 63 - 39 - 1 - 8 = 15 left for the prefix.
    expect(ephemeralSpaceName(tenant, 'p'.repeat(15), '00000000')).toHaveLength(24);
    const err = (() => {
      try {
        ephemeralSpaceName(tenant, 'p'.repeat(18), '00000000');
      } catch (e) {
        return e as NameError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(NameError);
    expect(err?.message).toContain(`Shorten the prefix "${'p'.repeat(18)}" by 3 or more (to 15 characters at most)`);
    expect(err?.message).toContain(`Kubernetes allows ${MAX_NAMESPACE_LENGTH}`);
  });

  it('says when the tenant leaves no room at all', () => {
    const tenant = { organization: 'o'.repeat(30), name: 't'.repeat(21) };
    expect(() => ephemeralSpaceName(tenant, 'x', '00000000')).toThrow(/leaves no room for ephemeral Space names.*shorter name/);
  });
});

describe('mergeResources', () => {
  it('keeps the defaults the caller does not mention and lets the caller win the rest', () => {
    expect(mergeResources({ cpu: '500m', memory: '512Mi' }, { cpu: 1, pods: 5 })).toEqual({ cpu: 1, memory: '512Mi', pods: 5 });
  });

  it('treats cpu and requests.cpu as one resource, as ResourceQuota does', () => {
    expect(mergeResources({ cpu: '500m', memory: '512Mi' }, { 'requests.cpu': '2' })).toEqual({ memory: '512Mi', 'requests.cpu': '2' });
  });

  it('gives the defaults when the caller gives nothing', () => {
    expect(mergeResources({ cpu: '500m', memory: '512Mi' })).toEqual({ cpu: '500m', memory: '512Mi' });
  });
});

describe('tokenLifetimeSeconds', () => {
  it("follows the TTL between Kubernetes' 10-minute floor and a day", () => {
    expect(tokenLifetimeSeconds('1h')).toBe(3600);
    expect(tokenLifetimeSeconds('1h30m')).toBe(5400);
    expect(tokenLifetimeSeconds('30s')).toBe(600);
    expect(tokenLifetimeSeconds('2w')).toBe(86_400);
  });
});

describe('checkEphemeralOptions', () => {
  it('accepts durations and waits', () => {
    expect(() => checkEphemeralOptions({ ttl: '90m', waitForBudgetMs: 0, timeoutMs: 30_000 })).not.toThrow();
  });

  it('lists every bad option with its path', () => {
    const err = (() => {
      try {
        checkEphemeralOptions({ ttl: 'soon', waitForBudgetMs: -1, timeoutMs: Number.NaN });
      } catch (e) {
        return e as ValidationError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect(err?.issues.map((i) => i.path)).toEqual(['ttl', 'waitForBudgetMs', 'timeoutMs']);
    expect(err?.message).toContain('"soon" is not a duration');
  });
});

describe('ephemeralSpaceInput', () => {
  it('always sets a TTL, the marker label and who made it', () => {
    const input = ephemeralSpaceInput(acme, {}, 'abcdef01', origin);
    expect(input).toMatchObject({
      organization: 'acme',
      tenant: 'ci',
      name: 'test-abcdef01',
      ttl: '1h',
      resources: { cpu: '500m', memory: '512Mi' },
      labels: { [EPHEMERAL_LABEL]: 'true' },
      displayName: 'ephemeral Space of pid 4242 on runner-7',
    });
    expect(input).not.toHaveProperty('sandbox');
  });

  it("takes the caller's prefix, resources, sandbox, TTL and labels, and keeps the marker", () => {
    const input = ephemeralSpaceInput(
      acme,
      {
        prefix: 'w3',
        resources: { memory: '1Gi' },
        sandbox: 'none',
        ttl: '20m',
        labels: { 'ci.example.com/run': '77', [EPHEMERAL_LABEL]: 'no' },
      },
      'abcdef01',
      origin,
    );
    expect(input).toMatchObject({ name: 'w3-abcdef01', ttl: '20m', sandbox: 'none', resources: { cpu: '500m', memory: '1Gi' } });
    expect(input.labels).toEqual({ 'ci.example.com/run': '77', [EPHEMERAL_LABEL]: 'true' });
  });
});
