/** What kind of failure a {@link SpacekitError} is, for programs that branch on it. */
export type SpacekitErrorCode =
  | 'VALIDATION'
  | 'NAME'
  | 'QUOTA_EXCEEDED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'NOT_INSTALLED'
  | 'TIMEOUT'
  | 'CLUSTER';

/** Base class of every error the SDK throws on purpose. Messages say what to do next. */
export class SpacekitError extends Error {
  readonly code: SpacekitErrorCode;

  constructor(code: SpacekitErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem in an input, with the path of the field at fault. */
export interface ValidationIssue {
  /** Dotted path of the field, such as `spec.resources.cpu`; empty for the whole input. */
  path: string;
  message: string;
}

/** The input does not match the schema. Nothing was sent to the cluster. */
export class ValidationError extends SpacekitError {
  readonly issues: readonly ValidationIssue[];

  constructor(what: string, issues: readonly ValidationIssue[]) {
    super('VALIDATION', `invalid ${what}:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.issues = issues;
  }
}

/** A name is not allowed, or the namespace it would make cannot exist. Nothing was sent to the cluster. */
export class NameError extends SpacekitError {
  readonly input: string;

  constructor(input: string, message: string) {
    super('NAME', message);
    this.input = input;
  }
}

/** Who holds part of a budget. */
export interface BudgetHolder {
  /** `tenant/payments` or `space/payments/dev`. */
  name: string;
  /** The amount it holds, in Kubernetes quantity syntax. */
  amount: string;
}

/** A request does not fit in the parent's budget. Nothing was created or changed. */
export class QuotaExceededError extends SpacekitError {
  /** The resource that does not fit, such as `requests.cpu`. */
  readonly resource: string;
  /** The parent whose budget is short, such as `organization/acme` or `tenant/acme/payments`. */
  readonly parent: string;
  readonly requested: string;
  readonly budget: string;
  readonly free: string;
  readonly holders: readonly BudgetHolder[];

  constructor(
    details: {
      resource: string;
      parent: string;
      requested: string;
      budget: string;
      free: string;
      holders: readonly BudgetHolder[];
      message: string;
    },
    options?: ErrorOptions,
  ) {
    super('QUOTA_EXCEEDED', details.message, options);
    this.resource = details.resource;
    this.parent = details.parent;
    this.requested = details.requested;
    this.budget = details.budget;
    this.free = details.free;
    this.holders = details.holders;
  }
}

/** The object, or its parent, does not exist. */
export class NotFoundError extends SpacekitError {
  constructor(message: string, options?: ErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

/** The object already exists, or changed underneath the request. */
export class ConflictError extends SpacekitError {
  constructor(message: string, options?: ErrorOptions) {
    super('CONFLICT', message, options);
  }
}

/** The cluster refused the caller (HTTP 403). The message includes the server's reason. */
export class ForbiddenError extends SpacekitError {
  constructor(message: string, options?: ErrorOptions) {
    super('FORBIDDEN', message, options);
  }
}

/** Spacekit's CRDs are not in the cluster. */
export class NotInstalledError extends SpacekitError {
  constructor(message = 'Spacekit is not installed in this cluster: run `spacekit install` (or `await kit.install()`) first') {
    super('NOT_INSTALLED', message);
  }
}

/** Waiting for a state took longer than allowed. */
export class TimeoutError extends SpacekitError {
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}
