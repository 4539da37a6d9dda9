// The small app the example suites deploy: a web server that runs as
// non-root with nothing to escalate, which is what a Space's Pod Security
// (restricted) admits. It declares no resources, so the Space's LimitRange
// gives it the defaults and its quota counts them.
import type { V1Deployment } from '@kubernetes/client-node';

/** The app's name, its pods' `app` label and its Deployment's name. */
export const APP = 'hello';

/** A Deployment of `replicas` hello pods. */
export function helloDeployment(replicas: number): V1Deployment {
  return {
    metadata: { name: APP, labels: { app: APP } },
    spec: {
      replicas,
      selector: { matchLabels: { app: APP } },
      template: {
        metadata: { labels: { app: APP } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'nginxinc/nginx-unprivileged:1.27-alpine',
              ports: [{ containerPort: 8080 }],
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
