import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { count } from 'drizzle-orm';
import { loadActiveUser } from '../core/auth/current-user.js';
import { users } from '../db/schema/index.js';
import { discardUnreadUpload, firstFilePart, isUploadRequest } from '../core/http/uploads.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Loads the signed-in user on every request; anything not marked public needs one. Then every state-changing
 * request must carry the CSRF token (forms: a hidden field, the first one in an upload; htmx: the header; never
 * the URL), checked after the log-in check, so an anonymous POST is sent to log in rather than told its form
 * expired. Both run before the route's declared params, query and body are validated, so nobody learns what
 * a route accepts before they may use it.
 */
async function authentication(app: FastifyInstance): Promise<void> {
  app.decorateRequest('user', null);
  app.decorateRequest('engagementContext', null);

  app.addHook('preValidation', async (req, reply) => {
    const userId = req.session.userId;
    req.user = userId ? loadActiveUser(app.conn.db, userId) : null;
    if (userId && !req.user) req.session.userId = undefined;
    if (req.routeOptions.config?.public || req.url.startsWith('/static/') || req.user) {
      if (req.user?.mustChangePassword && !req.url.startsWith('/account/password') && req.url !== '/logout') {
        return redirect(req, reply, '/account/password');
      }
      return;
    }
    const noUsers = app.conn.db.select({ n: count() }).from(users).get()!.n === 0;
    if (noUsers) return redirect(req, reply, '/setup');
    if (isPageNavigation(req)) req.session.returnTo = req.url;
    return redirect(req, reply, '/login');
  });

  app.addHook('preValidation', (req, reply, done) => {
    if (!UNSAFE_METHODS.has(req.method)) return done();
    const check = () => app.csrfProtection(req, reply, done);
    if (!isUploadRequest(req)) return check();
    // An upload's token is a form field sent before the file: read that far, and check it before the file is stored.
    firstFilePart(req).then(check, done);
  });
  app.addHook('onResponse', async (req) => discardUnreadUpload(req));
}

/** Only a page the person asked for is worth returning to, not a favicon or an htmx fragment. */
function isPageNavigation(req: import('fastify').FastifyRequest): boolean {
  return (
    req.method === 'GET' && req.headers['hx-request'] !== 'true' && (req.headers.accept ?? '').includes('text/html')
  );
}

function redirect(req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, to: string) {
  if (req.headers['hx-request'] === 'true') return reply.header('HX-Redirect', to).code(204).send();
  return reply.redirect(to, 303);
}

export default fp(authentication, { name: 'authentication', dependencies: ['security'] });
