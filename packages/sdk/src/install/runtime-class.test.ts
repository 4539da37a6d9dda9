import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, DEFAULT_SETTINGS } from '../model/settings.ts';
import { renderRuntimeClass } from './runtime-class.ts';

describe('renderRuntimeClass', () => {
  it('names the class and handler from the settings, with nothing else by default', () => {
    const rc = renderRuntimeClass(DEFAULT_SETTINGS);
    expect(rc).toMatchObject({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' });
    expect(rc).not.toHaveProperty('overhead');
    expect(rc).not.toHaveProperty('scheduling');
  });

  it('renders overhead and scheduling when given', () => {
    const settings = ClusterSettingsSchema.parse({
      runtimeClass: {
        name: 'kata',
        handler: 'kata-qemu',
        overhead: { cpu: '250m', memory: '160Mi' },
        nodeSelector: { 'sandbox.example.com/kata': 'true' },
        tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
    expect(renderRuntimeClass(settings)).toMatchObject({
      metadata: { name: 'kata' },
      handler: 'kata-qemu',
      overhead: { podFixed: { cpu: '250m', memory: '160Mi' } },
      scheduling: {
        nodeSelector: { 'sandbox.example.com/kata': 'true' },
        tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
  });

  it('renders only the scheduling parts that are given', () => {
    const onlyTolerations = ClusterSettingsSchema.parse({ runtimeClass: { tolerations: [{ key: 'sandbox', operator: 'Exists' }] } });
    const rc = renderRuntimeClass(onlyTolerations);
    expect(rc.scheduling).toEqual({ tolerations: [{ key: 'sandbox', operator: 'Exists' }] });
    expect(rc).not.toHaveProperty('overhead');
  });

  it('treats empty overhead and scheduling as not given', () => {
    const empty = ClusterSettingsSchema.parse({ runtimeClass: { overhead: {}, nodeSelector: {}, tolerations: [] } });
    const rc = renderRuntimeClass(empty);
    expect(rc).not.toHaveProperty('overhead');
    expect(rc).not.toHaveProperty('scheduling');
  });

  it('copies the settings rather than sharing them', () => {
    const settings = ClusterSettingsSchema.parse({ runtimeClass: { overhead: { cpu: '100m' }, nodeSelector: { a: 'b' } } });
    const rc = renderRuntimeClass(settings);
    expect(rc.overhead?.podFixed).not.toBe(settings.runtimeClass.overhead);
    expect(rc.scheduling?.nodeSelector).not.toBe(settings.runtimeClass.nodeSelector);
  });
});
