import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import { appendAudit } from '../audit-trail/trail.js';
import { email, parseForm, text } from '../shared/forms.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { clearFailures, isThrottled, recordFailure } from './login-throttle.js';

const LOGIN_FAILED = 'Email or password is incorrect, or the account is locked for a few minutes after repeated attempts.';

const loginForm = z.object({ email: z.string().trim().toLowerCase().max(254).default(''), password: z.string().max(256).default('') });

const passwordFields = {
  password: z.string().default('').superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  confirm: z.string().default(''),
};
const matching = (v: { password: string; confirm: string }) => v.password === v.confirm;
const mismatch = { message: 'The two passwords differ.', path: ['confirm'] };

const setupForm = z.object({ name: text('Name'), email, ...passwordFields }).refine(matching, mismatch);
const changePasswordForm = z.object({ current: z.string().default(''), ...passwordFields }).refine(matching, mismatch);

/** Only same-site paths, so the log-in form can't be used to bounce users elsewhere. */
function safeReturnTo(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/engagements';
}

async function signIn(req: FastifyRequest, userId: number): Promise<string> {
  const returnTo = safeReturnTo(req.session.returnTo);
  await req.session.regenerate();
  req.session.userId = userId;
  return returnTo;
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  await app.register(rateLimit, { global: false });
  const noUsers = () => db.select({ n: count() }).from(users).get()!.n === 0;

  app.get('/favicon.ico', { config: { public: true } }, async (req, reply) => reply.redirect('/static/favicon.svg', 301));

  app.get('/', async (req, reply) => reply.redirect(req.user ? '/engagements' : '/login', 303));

  app.get('/login', { config: { public: true } }, async (req, reply) => {
    if (req.user) return reply.redirect('/engagements', 303);
    if (noUsers()) return reply.redirect('/setup', 303);
    return reply.page('auth/login', { title: 'Log in', input: {}, error: null });
  });

  app.post(
    '/login',
    {
      config: {
        public: true,
        rateLimit: {
          max: app.config.loginAttemptsPerIp,
          timeWindow: '5 minutes',
          errorResponseBuilder: () => ({ statusCode: 429, code: 'TOO_MANY_LOGINS', error: 'Too Many Requests', message: 'Too many log-in attempts from this address. Wait a few minutes and try again.' }),
        },
      },
    },
    async (req, reply) => {
      const form = loginForm.parse(req.body ?? {});
      const user = form.email ? db.select().from(users).where(eq(users.email, form.email)).get() : undefined;
      const throttled = isThrottled(db, form.email);
      const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), form.password);
      if (throttled || !user || !user.active || !valid) {
        if (form.email) recordFailure(db, form.email);
        return reply.code(401).page('auth/login', { title: 'Log in', input: { email: form.email }, error: LOGIN_FAILED });
      }
      clearFailures(db, form.email);
      return reply.redirect(await signIn(req, user.id), 303);
    },
  );

  app.post('/logout', { config: { public: true } }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login', 303);
  });

  app.get('/setup', { config: { public: true } }, async (req, reply) => {
    if (!noUsers()) return reply.redirect('/login', 303);
    return reply.page('auth/setup', { title: 'Create the first administrator', input: {}, errors: {} });
  });

  app.post('/setup', { config: { public: true } }, async (req, reply) => {
    if (!noUsers()) return reply.redirect('/login', 303);
    const parsed = parseForm(setupForm, req.body);
    if (!parsed.ok) return reply.code(422).page('auth/setup', { title: 'Create the first administrator', input: parsed.input, errors: parsed.errors });
    const { name, email: address, password } = parsed.value;
    const passwordHash = await hashPassword(password);
    const id = db.transaction((tx) => {
      if (tx.select({ n: count() }).from(users).get()!.n > 0) return null;
      const row = tx.insert(users).values({ name, email: address, firmRole: 'admin', passwordHash, createdAt: new Date().toISOString() }).returning({ id: users.id }).get();
      appendAudit(tx, row.id, { engagementId: null, entity: 'user', entityId: row.id, action: 'create', changes: { email: [null, address], firmRole: [null, 'admin'] } });
      return row.id;
    });
    if (id === null) return reply.redirect('/login', 303);
    return reply.redirect(await signIn(req, id), 303);
  });

  app.get('/account/password', async (req, reply) => reply.page('auth/password', { title: 'Change your password', errors: {} }));

  app.post('/account/password', async (req, reply) => {
    const user = req.user!;
    const parsed = parseForm(changePasswordForm, req.body);
    const row = db.select().from(users).where(eq(users.id, user.id)).get()!;
    const errors = parsed.ok ? {} : parsed.errors;
    const current = parsed.ok ? parsed.value.current : String(parsed.input.current ?? '');
    if (!(await verifyPassword(row.passwordHash, current))) errors.current = 'Your current password is not correct.';
    if (!parsed.ok || Object.keys(errors).length > 0) return reply.code(422).page('auth/password', { title: 'Change your password', errors });
    const passwordHash = await hashPassword(parsed.value.password);
    db.transaction((tx) => {
      tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id)).run();
      appendAudit(tx, user.id, { engagementId: null, entity: 'user', entityId: user.id, action: 'change-password', changes: {} });
    });
    req.session.flash = 'Your password has been changed.';
    return reply.redirect('/engagements', 303);
  });
}
