/** Why the local control plane could not be built or started. */
export type LocalClusterErrorCode =
  | 'GO_MISSING'
  | 'BUILD_FAILED'
  | 'START_FAILED'
  | 'START_TIMEOUT'
  | 'NOT_READY'
  | 'KUBECONFIG_INVALID'
  | 'IMAGE_LOAD_FAILED'
  | 'NOT_LOCAL';

/**
 * An error from the local control plane, with the tail of the relevant log so
 * that the cause is visible without digging through temporary folders.
 */
export class LocalClusterError extends Error {
  override readonly name = 'LocalClusterError';
  readonly code: LocalClusterErrorCode;
  readonly logTail: string;

  constructor(code: LocalClusterErrorCode, message: string, logTail = '', options?: ErrorOptions) {
    super(logTail ? `${message}\n${logTail}` : message, options);
    this.code = code;
    this.logTail = logTail;
  }
}
