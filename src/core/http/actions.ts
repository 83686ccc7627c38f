import type { FastifyReply, FastifyRequest } from 'fastify';
import { RuleError } from '../errors.js';
import { StaleVersionError } from './versions.js';

export type FormErrors = Record<string, string>;

interface ActOptions {
  action: () => void;
  /** Flashed on the page `back` leads to once the write is done. */
  done: string;
  back: string;
  /** Where a refusal naming no field of its own is shown. */
  field?: string;
  /** The form again, with the refusal beside its field and the input kept; the status is already set. */
  rerender: (errors: FormErrors, input: Record<string, unknown>) => unknown;
  /** A save based on an older version of the record (409): what is stored now beside the user's input. */
  onStale?: (err: StaleVersionError) => unknown;
}

/**
 * The one way a form route writes: run the action, then flash `done` and redirect to `back`; when a rule
 * refuses it (a RuleError), re-render the form with the refusal's status and message; anything else goes on
 * to the error handler.
 */
export function actOrRerender(req: FastifyRequest, reply: FastifyReply, options: ActOptions) {
  try {
    options.action();
  } catch (err) {
    if (err instanceof StaleVersionError && options.onStale) return options.onStale(err);
    if (!(err instanceof RuleError)) throw err;
    reply.code(err.status);
    return options.rerender({ [err.field ?? options.field ?? 'form']: err.message }, req.body as Record<string, unknown>);
  }
  req.session.flash = options.done;
  return reply.redirect(options.back, 303);
}
