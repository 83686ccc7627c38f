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
  rerender: (errors: FormErrors, input: Record<string, unknown>) => unknown;
  /** A save based on an older version of the record (409): what is stored now beside the user's input. */
  onStale?: (err: StaleVersionError) => unknown;
}

interface RedirectOptions<T> {
  /** Flashed on the page `back` leads to once the write is done; either may depend on what the write returned. */
  done: string | ((result: T) => string);
  back: string | ((result: T) => string);
  answer?: never;
}

interface AnswerOptions<T> {
  /** The answer to a write that is not followed by a redirect (a download, an htmx fragment). */
  answer: (result: T) => unknown;
  done?: never;
  back?: never;
}

type ActOptions<T> = CommonOptions<T> & (RedirectOptions<T> | AnswerOptions<T>);

const textOf = <T>(value: string | ((result: T) => string), result: T) =>
  typeof value === 'function' ? value(result) : value;

/**
 * The one way a form route writes: run the action, then flash `done` and redirect to `back` (or give the
 * `answer`); when a rule
 * refuses it (a RuleError), re-render the form with the refusal's status and message; anything else goes on
 * to the error handler.
 */
export async function actOrRerender<T>(req: FastifyRequest, reply: FastifyReply, options: ActOptions<T>) {
  let result: T;
  try {
    result = await options.action();
  } catch (err) {
    if (err instanceof StaleVersionError && options.onStale) return options.onStale(err);
    if (!(err instanceof RuleError)) throw err;
    reply.code(options.status ?? err.status);
    return options.rerender(err.formErrors(options.field), typedInput(req.body));
  }
  if (options.answer) return options.answer(result);
  req.session.flash = textOf(options.done, result);
  return reply.redirect(textOf(options.back, result), 303);
}
