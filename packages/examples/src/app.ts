// The small app the example suites deploy: a web server that runs as
// non-root with nothing to escalate, which is what a Space's Pod Security
// (restricted) admits. It declares no resources, so the Space's LimitRange
// gives it the defaults and its quota counts them.
//
// Its image is the local cluster's built-in probe, a static HTTP server that
// is already on the real node, since no registry is reachable there. With your
// own image, load it first (`cluster.loadImage('app.tar')` or
// `pnpm cluster image load app.tar`) and keep imagePullPolicy Never.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';

/** The app's name, its pods' `app` label, and its Deployment's and Service's name. */
export const APP = 'hello';

/** The image the app runs: the local cluster's probe (PROBE_IMAGE in @spacekit/local-cluster). */
export const APP_IMAGE = 'spacekit.dev/probe:v1';

/** A Service in front of the app's pods, port 80 (named http) to their 8080. */
export function helloService(): V1Service {
  return { metadata: { name: APP }, spec: { selector: { app: APP }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
}

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
          securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: APP_IMAGE,
              imagePullPolicy: 'Never',
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}
