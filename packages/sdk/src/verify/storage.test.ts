import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../render/index.ts';
import { checkReclaim, oversizedClaim, usableClasses } from './storage.ts';

const sc = (name: string, reclaimPolicy?: string): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  ...(reclaimPolicy && { reclaimPolicy }),
});
const pv = (name: string, policy: string, extra: { claimNamespace?: string; phase?: string; className?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    persistentVolumeReclaimPolicy: policy,
    ...(extra.className && { storageClassName: extra.className }),
    ...(extra.claimNamespace && { claimRef: { namespace: extra.claimNamespace, name: 'data' } }),
  },
  status: { phase: extra.phase ?? 'Bound' },
});
const target = (hard: Record<string, string> | undefined) => ({ subject: 'space a/b/c', namespace: 'a-b-c', hard });

describe('oversizedClaim', () => {
  it('asks for a GiB more than the quota caps, in bytes', () => {
    expect(oversizedClaim('ns', { 'requests.storage': '2Gi' }).spec.resources.requests.storage).toBe(`${3n * 1024n ** 3n}`);
    expect(oversizedClaim('ns', { 'requests.storage': '0' }).spec.resources.requests.storage).toBe(`${1024n ** 3n}`);
  });
  it('asks for a PiB where nothing caps storage', () => {
    expect(oversizedClaim('ns', { 'requests.cpu': '1' }).spec.resources.requests.storage).toBe('1Pi');
    expect(oversizedClaim('ns', undefined).spec.resources.requests.storage).toBe('1Pi');
  });
});

describe('usableClasses', () => {
  const classes = [sc('fast'), sc('slow')];
  it('is none when the quota caps storage or claims at zero', () => {
    expect(usableClasses({ 'requests.storage': '0' }, classes)).toEqual([]);
    expect(usableClasses({ persistentvolumeclaims: '0', 'requests.storage': '1Gi' }, classes)).toEqual([]);
  });
  it('leaves out a class the quota closes', () => {
    const hard = { 'requests.storage': '1Gi', 'slow.storageclass.storage.k8s.io/requests.storage': '0' };
    expect(usableClasses(hard, classes).map((c) => c.metadata.name)).toEqual(['fast']);
  });
  it('is every class where nothing caps storage', () => {
    expect(usableClasses(undefined, classes)).toHaveLength(2);
  });
});

describe('checkReclaim', () => {
  it('passes a Space that can claim nothing, whatever the classes keep', () => {
    const r = checkReclaim(target({ 'requests.storage': '0' }), {
      classes: [sc('keep', 'Retain')],
      volumes: [pv('old', 'Retain', { phase: 'Available' })],
    });
    expect(r.status).toBe('passed');
  });
  it('names a class that keeps volumes, where the Space may claim from it', () => {
    const r = checkReclaim(target({ 'requests.storage': '1Gi' }), { classes: [sc('keep', 'Retain'), sc('gone')], volumes: [] });
    expect(r).toMatchObject({ status: 'failed', id: 'storage.reclaim-delete', seen: 'StorageClass keep (reclaimPolicy Retain)' });
  });
  it('names a kept volume bound to one of its claims even when it may claim no more', () => {
    const r = checkReclaim(target({ 'requests.storage': '0' }), {
      classes: [],
      volumes: [pv('mine', 'Retain', { claimNamespace: 'a-b-c' })],
    });
    expect(r).toMatchObject({ status: 'failed', seen: 'PersistentVolume mine (persistentVolumeReclaimPolicy Retain)' });
  });
  it('names an Available kept volume it could bind, and not one of a class closed to it or bound elsewhere', () => {
    const hard = { 'requests.storage': '1Gi', 'slow.storageclass.storage.k8s.io/requests.storage': '0' };
    const volumes = [
      pv('free', 'Retain', { phase: 'Available' }),
      pv('closed', 'Retain', { phase: 'Available', className: 'slow' }),
      pv('theirs', 'Retain', { claimNamespace: 'x-y-z' }),
      pv('deletes', 'Delete', { phase: 'Available' }),
    ];
    const r = checkReclaim(target(hard), { classes: [sc('slow')], volumes });
    expect(r.seen).toBe('PersistentVolume free (persistentVolumeReclaimPolicy Retain)');
  });
  it('passes classes and volumes that delete, the default included', () => {
    const r = checkReclaim(target(undefined), {
      classes: [sc('default'), sc('explicit', 'Delete')],
      volumes: [pv('v', 'Delete', { claimNamespace: 'a-b-c' })],
    });
    expect(r.status).toBe('passed');
  });
});
