import type { FastifyReply, FastifyRequest } from 'fastify';
import { RuleError } from '../errors.js';
import { StaleVersionError } from './versions.js';
import { typedInput } from './contract.js';

export type FormErrors = Record<string, string>;

/** How a write that was done is answered: a flash and a redirect, or an answer of the route's own. */
type Ending<T> =
  | {
      /** Flashed on the page `back` leads to once the write is done; either may depend on what the write returned. */
      done: string | ((result: T) => string);
      back: string | ((result: T) => string);
      answer?: never;
    }
  | {
      /** The answer once the write is done, in place of a flash and redirect (an htmx fragment, a next step). */
      answer: (result: T) => unknown;
      done?: never;
      back?: never;
    };

type ActOptions<T> = Ending<T> & {
  /** The write; it may be asynchronous (an upload streamed in first). */
  action: () => T | Promise<T>;
  /** Where a refusal naming no field of its own is shown. */
  field?: string;
  /** The form again, with the refusal beside its field and the input kept; the status is already set. */
  rerender: (errors: FormErrors, input: Record<string, unknown>) => unknown;
  /** A save based on an older version of the record (409): what is stored now beside the user's input. */
  onStale?: (err: StaleVersionError) => unknown;
};

const textOf = <T>(value: string | ((result: T) => string), result: T) =>
  typeof value === 'function' ? value(result) : value;

/**
 * The one way a form route writes: run the action, then flash `done` and redirect to `back`; when a rule
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
    reply.code(err.status);
    return options.rerender(err.formErrors(options.field), typedInput(req.body));
  }
  if (options.answer) return options.answer(result);
  req.session.flash = textOf(options.done, result);
  return reply.redirect(textOf(options.back, result), 303);
}
