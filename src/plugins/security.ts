import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import session from '@fastify/session';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SqliteSessionStore } from '../core/auth/session-store.js';
import { fieldBeforeFile } from '../core/http/uploads.js';

/**
 * The form's hidden field (in an upload, a field sent before the file) or htmx's header, never the URL: a token in a URL is written to logs, history and
 * Referer headers, where anyone who reads them could replay it.
 */
function csrfTokenOf(req: FastifyRequest): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
  const header = req.headers['x-csrf-token'];
  return fromBody ?? fieldBeforeFile(req, '_csrf') ?? (typeof header === 'string' ? header : undefined);
}

async function security(app: FastifyInstance): Promise<void> {
  const { config } = app;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(cookie);
  const store = new SqliteSessionStore(app.conn.sqlite, config.idleTimeoutMinutes * 60_000);
  await app.register(session, {
    secret: config.sessionSecret,
    cookieName: 'tickmark_session',
    store,
    saveUninitialized: true,
    rolling: true,
    cookie: {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: config.idleTimeoutMinutes * 60_000,
    },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/session', getToken: csrfTokenOf });

  const purge = setInterval(() => store.purgeExpired(), 10 * 60_000);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
}

export default fp(security, { name: 'security' });
