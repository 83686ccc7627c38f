// The one error a rule of Tickmark raises when it refuses a request: the message a person can act on, the
// form field it belongs beside (if any), and the status of the page. The error handler renders it, and
// `actOrRerender` puts it back beside its field in the form that caused it.

/**
 * 413: an upload over its limit. 503: the server cannot do it now (no PDF printer, or a busy one): the person is
 * told what to do instead.
 */
export type RuleStatus = 400 | 404 | 409 | 413 | 422 | 503;

interface RuleOptions {
  field?: string;
  status?: RuleStatus;
  /** Several fields refused at once (a whole settings form): each beside its own field. */
  fields?: Record<string, string>;
  cause?: unknown;
}

export class RuleError extends Error {
  readonly field: string | undefined;
  readonly status: RuleStatus;
  readonly fields: Record<string, string> | undefined;
  /** The status fastify's error handler reads. */
  get statusCode(): RuleStatus {
    return this.status;
  }

  constructor(message: string, options: RuleOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuleError';
    this.field = options.field;
    this.status = options.status ?? 422;
    this.fields = options.fields;
  }

  /** The refusal as a form's errors: beside its own field, or `fallback` when it names none. */
  formErrors(fallback = 'form'): Record<string, string> {
    return this.fields ?? { [this.field ?? fallback]: this.message };
  }
}

/** No such page: the id in the URL names nothing this user may see. */
export const notFound = () => new RuleError('Not found', { status: 404 });
