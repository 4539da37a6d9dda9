import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { NameError, ValidationError } from '../errors.ts';
import type { KubeObject } from '../render/index.ts';
import { formatObjects, renderSpaceStack } from './render-command.ts';

const input = {
  organization: 'acme',
  tenant: 'payments',
  name: 'dev',
  resources: { cpu: '2', memory: '4Gi' },
  network: { preset: 'tenant' as const },
};

const kindsIn = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);

describe('renderSpaceStack', () => {
  it('renders the organization, tenant and space namespaces with the Space objects', () => {
    const objects = renderSpaceStack(input);
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['acme', 'acme--payments', 'acme--payments--dev']);
    const quota = objects.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'acme--payments--dev');
    expect(quota?.spec).toEqual({
      hard: {
        'requests.cpu': '2',
        'requests.memory': '4Gi',
        'requests.storage': '0',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    });
    expect(kindsIn(objects)).toContain('NetworkPolicy/acme--payments--dev/spacekit-allow-tenant');
  });

  it('renders what the Space asks for even where an organization would have to allow it', () => {
    const objects = renderSpaceStack({ ...input, sandbox: 'none', podSecurity: 'privileged' });
    const ns = objects.find((o) => o.metadata.name === 'acme--payments--dev');
    expect(ns?.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(ns?.metadata.labels).not.toHaveProperty('spacekit.dev/sandbox');
  });

  it('refuses what the SDK refuses, with its errors', () => {
    expect(() => renderSpaceStack({ ...input, resources: { cpu: 'lots' } })).toThrow(ValidationError);
    expect(() => renderSpaceStack({ ...input, organization: 'Acme' })).toThrow(NameError);
  });
});

describe('formatObjects', () => {
  it('writes a YAML stream that parses back into the same objects', () => {
    const objects = renderSpaceStack(input);
    const text = formatObjects(objects, 'yaml');
    const docs = parseAllDocuments(text);
    expect(docs.every((d) => d.errors.length === 0)).toBe(true);
    const parsed = docs.map((d) => d.toJS() as KubeObject);
    expect(parsed).toEqual(objects);
    expect([...new Set(parsed.map((o) => o.kind))].sort()).toEqual(['LimitRange', 'Namespace', 'NetworkPolicy', 'ResourceQuota']);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(text.split('\n').filter((l) => l === '---')).toHaveLength(objects.length - 1);
  });

  it('writes JSON as a v1 List', () => {
    const objects = renderSpaceStack(input);
    const list = JSON.parse(formatObjects(objects, 'json')) as { apiVersion: string; kind: string; items: KubeObject[] };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items).toEqual(objects);
  });
});
