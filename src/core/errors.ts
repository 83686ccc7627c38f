// The one error a rule of Tickmark raises when it refuses a request: the message a person can act on, the
// form field it belongs beside (if any), and the status of the page. The error handler renders it, and
// `actOrRerender` puts it back beside its field in the form that caused it.

export type RuleStatus = 400 | 404 | 409 | 422;

export class RuleError extends Error {
  readonly field: string | undefined;
  readonly status: RuleStatus;
  /** The status fastify's error handler reads. */
  get statusCode(): RuleStatus {
    return this.status;
  }

  constructor(message: string, options: { field?: string; status?: RuleStatus } = {}) {
    super(message);
    this.name = 'RuleError';
    this.field = options.field;
    this.status = options.status ?? 422;
  }
}

/** No such page: the id in the URL names nothing this user may see. */
export const notFound = () => new RuleError('Not found', { status: 404 });
