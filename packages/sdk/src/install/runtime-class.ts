import type { V1RuntimeClass, V1Scheduling, V1Toleration } from '@kubernetes/client-node';
import type { ClusterSettings } from '../model/settings.ts';
import { installMetadata } from './labels.ts';

/**
 * The RuntimeClass that sandboxed Spaces' pods run under (gVisor by default).
 *
 * `overhead` and `scheduling` appear only when the settings give them (an
 * empty map counts as not given): the RuntimeClass admission plugin adds the
 * overhead to every such pod's requests and merges the node selector and
 * tolerations into its spec. A RuntimeClass's handler cannot change once
 * created; changing it in the settings needs the class deleted first.
 */
export function renderRuntimeClass(settings: ClusterSettings): V1RuntimeClass {
  const { name, handler, overhead, nodeSelector, tolerations } = settings.runtimeClass;
  const runtimeClass: V1RuntimeClass = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: installMetadata(name), handler };
  if (overhead && Object.keys(overhead).length > 0) runtimeClass.overhead = { podFixed: { ...overhead } };
  const scheduling: V1Scheduling = {};
  if (nodeSelector && Object.keys(nodeSelector).length > 0) scheduling.nodeSelector = { ...nodeSelector };
  // The settings keep tolerations loosely typed; the apiserver validates them when applied.
  if (tolerations && tolerations.length > 0) scheduling.tolerations = tolerations.map((t) => ({ ...t }) as V1Toleration);
  if (scheduling.nodeSelector || scheduling.tolerations) runtimeClass.scheduling = scheduling;
  return runtimeClass;
}
