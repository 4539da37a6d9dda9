export { type AnyObject, FIELD_MANAGER, KubeClient, type WriteCounter, type WriteVerb } from './client.ts';
export { serverMessage, statusCode, toSpacekitError } from './errors.ts';
export { HttpMethod, type RawRequest, type RequestRecord } from './raw.ts';
export { watchUntil, type WatchUntilOptions } from './watch-until.ts';
