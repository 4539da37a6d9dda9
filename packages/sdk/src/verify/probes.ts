// What a tenant's pods and Services must not be allowed to do, as server-side dry runs: each probe is a pod
// that Pod Security `restricted` admits, changed to break one rule. Pure: the caller sends them.

/** A Pod Security level, weakest last; a probe applies where the Space's level is at least the one it needs. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

type Pod = {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { generateName: string; namespace: string };
  spec: {
    automountServiceAccountToken: false;
    runtimeClassName?: string;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    securityContext: Record<string, unknown>;
    volumes?: Record<string, unknown>[];
    containers: [Record<string, unknown> & { securityContext: Record<string, unknown> }];
  };
};

/** A pod every Pod Security level admits, which names no runtime class: the control every probe departs from. */
export function compliantPod(namespace: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    // generateName: a dry run stores nothing, and a fixed name would collide with a tenant's own pod.
    metadata: { generateName: 'spacekit-verify-', namespace },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: 'registry.k8s.io/pause:3.10',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

/** One rule a tenant's pods must not break. */
export interface PodProbe {
  id: string;
  mtb: string;
  /** What the pod asks for, as the report says it: "a privileged container". */
  asks: string;
  /** The weakest Pod Security level that refuses it. */
  refusedFrom: Exclude<PodSecurityLevel, 'privileged'>;
  /** Where in the pod spec to look, for the fix hint. */
  field: string;
  make: (pod: Pod) => void;
}

const container = (pod: Pod) => pod.spec.containers[0];

/** The MTB profile-level-1 pod checks, each one rule of Pod Security. */
export const POD_PROBES: readonly PodProbe[] = [
  {
    id: 'pods.capabilities-refused',
    mtb: 'MTB-PL1-BC-CPI-3',
    asks: 'an added capability (NET_ADMIN)',
    refusedFrom: 'baseline',
    field: 'containers[].securityContext.capabilities.add',
    make: (p) => {
      container(p).securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] };
    },
  },
  {
    id: 'pods.run-as-root-refused',
    mtb: 'MTB-PL1-BC-CPI-4',
    asks: 'to run as root (runAsUser 0, runAsNonRoot false)',
    refusedFrom: 'restricted',
    field: 'securityContext.runAsNonRoot',
    make: (p) => {
      p.spec.securityContext = { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
    },
  },
  {
    id: 'pods.privileged-refused',
    mtb: 'MTB-PL1-BC-CPI-5',
    asks: 'a privileged container',
    refusedFrom: 'baseline',
    field: 'containers[].securityContext.privileged',
    make: (p) => {
      // The API refuses privileged with allowPrivilegeEscalation false as invalid, which would pass for a refusal.
      container(p).securityContext = { privileged: true };
    },
  },
  {
    id: 'pods.privilege-escalation-refused',
    mtb: 'MTB-PL1-BC-CPI-6',
    asks: 'allowPrivilegeEscalation: true',
    refusedFrom: 'restricted',
    field: 'containers[].securityContext.allowPrivilegeEscalation',
    make: (p) => {
      container(p).securityContext.allowPrivilegeEscalation = true;
    },
  },
  {
    id: 'pods.host-path-refused',
    mtb: 'MTB-PL1-BC-HI-1',
    asks: 'a hostPath volume (/etc)',
    refusedFrom: 'baseline',
    field: 'volumes[].hostPath',
    make: (p) => {
      p.spec.volumes = [{ name: 'host', hostPath: { path: '/etc' } }];
      container(p).volumeMounts = [{ name: 'host', mountPath: '/host', readOnly: true }];
    },
  },
  {
    id: 'pods.host-network-refused',
    mtb: 'MTB-PL1-BC-HI-3',
    asks: 'the host network',
    refusedFrom: 'baseline',
    field: 'hostNetwork',
    make: (p) => {
      p.spec.hostNetwork = true;
    },
  },
  {
    id: 'pods.host-port-refused',
    mtb: 'MTB-PL1-BC-HI-3',
    asks: 'a host port (8080)',
    refusedFrom: 'baseline',
    field: 'containers[].ports[].hostPort',
    make: (p) => {
      container(p).ports = [{ containerPort: 8080, hostPort: 8080 }];
    },
  },
  {
    id: 'pods.host-pid-refused',
    mtb: 'MTB-PL1-BC-HI-4',
    asks: "the host's PID namespace",
    refusedFrom: 'baseline',
    field: 'hostPID',
    make: (p) => {
      p.spec.hostPID = true;
    },
  },
  {
    id: 'pods.host-ipc-refused',
    mtb: 'MTB-PL1-BC-HI-5',
    asks: "the host's IPC namespace",
    refusedFrom: 'baseline',
    field: 'hostIPC',
    make: (p) => {
      p.spec.hostIPC = true;
    },
  },
];

/** Whether a Space at Pod Security `level` must refuse what `probe` asks for. */
export function levelRefuses(level: PodSecurityLevel, probe: PodProbe): boolean {
  if (level === 'privileged') return false;
  return level === 'restricted' || probe.refusedFrom === 'baseline';
}

/** The probe's pod: the compliant pod with its one rule broken. */
export function probePod(namespace: string, probe: PodProbe): Pod {
  const pod = compliantPod(namespace);
  probe.make(pod);
  return pod;
}

/** A pod that asks for another runtime than the sandbox's. */
export function otherRuntimePod(namespace: string, runtimeClassName: string): Pod {
  const pod = compliantPod(namespace);
  pod.spec.runtimeClassName = runtimeClassName;
  return pod;
}

/** A Service that asks for a port on every node. */
export function nodePortService(namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { generateName: 'spacekit-verify-', namespace },
    spec: { type: 'NodePort', selector: { 'spacekit.dev/verify': 'probe' }, ports: [{ port: 80 }] },
  };
}
