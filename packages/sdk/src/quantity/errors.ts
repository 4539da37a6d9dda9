/** The shape every quantity message ends with, so users always see what a valid value looks like. */
export const QUANTITY_EXAMPLES = 'use a number with an optional suffix such as 500m, 2, 1.5Gi or 512Mi';

/** A value that is not a Kubernetes quantity, or one Spacekit cannot represent exactly. */
export class QuantityError extends Error {
  /** The value as the caller gave it. */
  readonly input: string | number;

  constructor(input: string | number, message: string) {
    super(message);
    this.name = 'QuantityError';
    this.input = input;
  }
}

/** A resource list entry that is unusable as a budget: bad name, bad or negative quantity, or a double-counted resource. */
export class ResourceListError extends Error {
  /** The resource name as written in the list. */
  readonly resource: string;

  constructor(resource: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResourceListError';
    this.resource = resource;
  }
}

/** Shows an input the way a user would have typed it, with invisible characters made visible. */
export function showInput(input: string | number): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}
