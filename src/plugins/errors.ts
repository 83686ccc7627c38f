import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { RuleError } from '../core/errors.js';
import { contractBroken } from '../core/http/contract.js';

/** One place that turns failures into pages a person can act on. */
async function errors(app: FastifyInstance): Promise<void> {
  app.setNotFoundHandler(async (_req, reply) => reply.code(404).page('errors/404', { title: 'Not found' }));

  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500;
    // A request outside the route's declared contract: a path naming nothing is no page, the rest is refused.
    const broken = contractBroken(error);
    if (broken?.part === 'params') return reply.code(404).page('errors/404', { title: 'Not found' });
    if (broken) return reply.code(400).page('errors/403', { title: 'Request refused', message: broken.message });
    // A rule's refusal that no form took back: its page, with its status and message.
    if (error instanceof RuleError) {
      if (error.status === 404) return reply.code(404).page('errors/404', { title: 'Not found' });
      return reply.code(error.status).page('errors/403', { title: 'Request refused', message: error.message });
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return reply.code(403).page('errors/403', {
        title: 'Form expired',
        message: 'This form has expired or did not come from Tickmark. Go back, reload the page and try again.',
      });
    }
    if (status === 429)
      return reply.code(429).page('errors/403', { title: 'Too many attempts', message: error.message });
    if (status === 413)
      return reply.code(413).page('errors/403', { title: 'Too large', message: 'The request is too large.' });
    if (status >= 400 && status < 500)
      return reply.code(status).page('errors/403', { title: 'Request refused', message: error.message });
    req.log.error({ err: error, reqId: req.id }, 'unexpected error');
    return reply.code(500).page('errors/500', { title: 'Something went wrong', requestId: req.id });
  });
}

export default fp(errors, { name: 'errors', dependencies: ['views'] });
