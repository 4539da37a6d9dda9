/** The Kubernetes API group of Spacekit's custom resources. */
export const API_GROUP = 'spacekit.dev';

/** The served version of Spacekit's custom resources. */
export const API_VERSION = 'v1alpha1';

export * from './quantity/index.ts';
