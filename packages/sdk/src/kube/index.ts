export { type AnyObject, FIELD_MANAGER, KubeClient, type WriteCounter } from './client.ts';
export { serverMessage, statusCode, toSpacekitError } from './errors.ts';
