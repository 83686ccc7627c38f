import type { FastifyReply, FastifyRequest } from 'fastify';
import { RuleError, type RuleStatus } from '../errors.js';
import { StaleVersionError } from './versions.js';
import { typedInput } from './contract.js';

export type FormErrors = Record<string, string>;

interface CommonOptions<T> {
  /** The write; it may be asynchronous (an upload streamed in first). */
  action: () => T | Promise<T>;
  /** Where a refusal naming no field of its own is shown. */
  field?: string;
  /** The status of the refused form's page whatever the rule's own (a page that has always answered 422). */
  status?: RuleStatus;
  /** The form again, with the refusal beside its field and the input kept; the status is already set. */
  rerender: (errors: FormErrors, input: Record<string, unknown>, refusal: RuleError) => unknown;
  /** A save based on an older version of the record (409): what is stored now beside the user's input. */
  onStale?: (err: StaleVersionError) => unknown;
}

interface RedirectOptions<T> {
  /**
   * Flashed on the page `back` leads to once the write is done; either may depend on what the write returned
   * (a `done` of undefined flashes nothing).
   */
  done: string | ((result: T) => string | undefined);
  back: string | ((result: T) => string);
  /** The answer to an htmx request once the write is done (a fragment), instead of the flash and the redirect. */
  htmx?: (result: T) => unknown;
  answer?: never;
}

interface AnswerOptions<T> {
  /** The answer to a write that is not followed by a redirect (a download, a fragment, a next step). */
  answer: (result: T) => unknown;
  done?: never;
  back?: never;
  htmx?: never;
}

type ActOptions<T> = CommonOptions<T> & (RedirectOptions<T> | AnswerOptions<T>);

const textOf = <T, S extends string | undefined>(value: S | ((result: T) => S), result: T): S =>
  typeof value === 'function' ? value(result) : value;

/**
 * The one way a form route writes: run the action, then flash `done` and redirect to `back` (or answer an htmx
 * request with `htmx`, or always with `answer`); when a rule refuses it (a RuleError), re-render the form with
 * the refusal's status and message; anything else goes on to the error handler.
 */
export async function actOrRerender<T>(req: FastifyRequest, reply: FastifyReply, options: ActOptions<T>) {
  let result: T;
  try {
    result = await options.action();
  } catch (err) {
    if (err instanceof StaleVersionError && options.onStale) return options.onStale(err);
    if (!(err instanceof RuleError)) throw err;
    reply.code(options.status ?? err.status);
    return options.rerender(err.formErrors(options.field), typedInput(req.body), err);
  }
  if (options.answer) return options.answer(result);
  if (options.htmx && req.headers['hx-request'] === 'true') return options.htmx(result);
  const flash = textOf(options.done, result);
  if (flash !== undefined) req.session.flash = flash;
  return reply.redirect(textOf(options.back, result), 303);
}
