import type { FastifyReply, FastifyRequest } from 'fastify';

/** An error whose message belongs beside one field of the form that caused it. */
export interface FieldRuleError extends Error {
  field: string;
}

/**
 * Runs a write; on success flashes `done` and redirects to `back`, and when a business rule refuses it,
 * re-renders the form with the message beside the field and the input kept.
 */
export function actOrRerender(
  req: FastifyRequest,
  reply: FastifyReply,
  options: { action: () => void; done: string; back: string; refusal: new (...args: never[]) => FieldRuleError; rerender: (errors: Record<string, string>, input: Record<string, unknown>) => unknown },
) {
  try {
    options.action();
    req.session.flash = options.done;
    return reply.redirect(options.back, 303);
  } catch (err) {
    if (err instanceof options.refusal) return options.rerender({ [err.field]: err.message }, req.body as Record<string, unknown>);
    throw err;
  }
}
