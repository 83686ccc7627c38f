import type { FastifyInstance, FastifyRequest } from 'fastify';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, users } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import { email, text } from '../../core/http/forms.js';
import { formOf, typed } from '../../core/http/contract.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { LoginThrottle, systemClock, type Clock } from './login-throttle.js';
import { currentUser } from '../../core/auth/current-user.js';

const LOGIN_FAILED = 'Email or password is incorrect.';
const TOO_MANY_WAITING = 'Too many log-in attempts from this address are waiting. Wait a minute and try again.';

const loginForm = z.object({
  email: z.string().trim().toLowerCase().max(254).default(''),
  password: z.string().max(256).default(''),
});

const passwordFields = {
  password: z
    .string()
    .default('')
    .superRefine((p, ctx) => {
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
  return value?.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/engagements';
}

async function signIn(req: FastifyRequest, userId: number): Promise<string> {
  const returnTo = safeReturnTo(req.session.returnTo);
  await req.session.regenerate();
  req.session.userId = userId;
  return returnTo;
}

export interface AuthRouteOptions {
  /** The log-in delay's clock (tests pass one they move themselves). */
  clock?: Clock;
}

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  const { db } = app.conn;
  const throttle = new LoginThrottle(db, options.clock ?? systemClock, {
    freeFailures: app.config.loginAttemptsPerIp - 1,
    firstDelayMs: 1_000,
  });
  app.addHook('preClose', async () => throttle.close());
  const noUsers = () => db.select({ n: count() }).from(users).get()!.n === 0;

  app.get('/favicon.ico', { config: { public: true } }, async (_req, reply) =>
    reply.redirect('/static/favicon.svg', 301),
  );

  app.get('/', async (req, reply) => reply.redirect(req.user ? '/engagements' : '/login', 303));

  app.get('/login', { config: { public: true } }, async (req, reply) => {
    if (req.user) return reply.redirect('/engagements', 303);
    if (noUsers()) return reply.redirect('/setup', 303);
    return reply.page('auth/login', { title: 'Log in', input: {}, error: null });
  });

  const routes = typed(app);
  const loginOptions = { config: { public: true }, schema: { body: formOf(loginForm) } };
  routes.post('/login', loginOptions, async (req, reply) => {
    const form = req.body.ok ? req.body.value : { email: '', password: '' };
    const turn = await throttle.waitTurn(form.email, req.ip);
    if (turn === 'busy')
      return reply
        .code(429)
        .header('retry-after', '60')
        .page('errors/403', { title: 'Too many attempts', message: TOO_MANY_WAITING });
    if (turn === 'closing')
      return reply
        .code(503)
        .page('errors/403', { title: 'Restarting', message: 'Tickmark is restarting. Try again in a moment.' });
    const user = form.email ? db.select().from(users).where(eq(users.email, form.email)).get() : undefined;
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), form.password);
    if (!user?.active || !valid) {
      throttle.recordFailure(form.email, req.ip);
      return reply.code(401).page('auth/login', { title: 'Log in', input: { email: form.email }, error: LOGIN_FAILED });
    }
    throttle.recordSuccess(form.email);
    return reply.redirect(await signIn(req, user.id), 303);
  });

  app.post('/logout', { config: { public: true } }, async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login', 303);
  });

  app.get('/setup', { config: { public: true } }, async (_req, reply) => {
    if (!noUsers()) return reply.redirect('/login', 303);
    return reply.page('auth/setup', { title: 'Create the first administrator', input: {}, errors: {} });
  });

  const setupOptions = { config: { public: true }, schema: { body: formOf(setupForm) } };
  routes.post('/setup', setupOptions, async (req, reply) => {
    if (!noUsers()) return reply.redirect('/login', 303);
    const parsed = req.body;
    if (!parsed.ok)
      return reply
        .code(422)
        .page('auth/setup', { title: 'Create the first administrator', input: parsed.input, errors: parsed.errors });
    const { name, email: address, password } = parsed.value;
    const passwordHash = await hashPassword(password);
    const id = db.transaction((tx) => {
      if (tx.select({ n: count() }).from(users).get()!.n > 0) return null;
      const row = tx
        .insert(users)
        .values({ name, email: address, firmRole: 'admin', passwordHash, createdAt: new Date().toISOString() })
        .returning({ id: users.id })
        .get();
      appendAudit(tx, row.id, {
        engagementId: null,
        entity: 'user',
        entityId: row.id,
        action: 'create',
        changes: { email: [null, address], firmRole: [null, 'admin'] },
      });
      return row.id;
    });
    if (id === null) return reply.redirect('/login', 303);
    return reply.redirect(await signIn(req, id), 303);
  });

  app.get('/account/password', async (_req, reply) =>
    reply.page('auth/password', { title: 'Change your password', errors: {} }),
  );

  routes.post('/account/password', { schema: { body: formOf(changePasswordForm) } }, async (req, reply) => {
    const user = currentUser(req);
    const parsed = req.body;
    const row = db.select().from(users).where(eq(users.id, user.id)).get()!;
    const errors = parsed.ok ? {} : parsed.errors;
    const current = parsed.ok ? parsed.value.current : String(parsed.input.current ?? '');
    if (!(await verifyPassword(row.passwordHash, current))) errors.current = 'Your current password is not correct.';
    // The current one is verified above, so equal text means the same password: a temporary one would stay.
    else if (parsed.ok && parsed.value.password === current)
      errors.password = 'Choose a new password, not the one you have now.';
    if (!parsed.ok || Object.keys(errors).length > 0)
      return reply.code(422).page('auth/password', { title: 'Change your password', errors });
    const passwordHash = await hashPassword(parsed.value.password);
    db.transaction((tx) => {
      tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, user.id)).run();
      tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
      appendAudit(tx, user.id, {
        engagementId: null,
        entity: 'user',
        entityId: user.id,
        action: 'change-password',
        changes: {},
      });
    });
    // Every session of the user ended above; this browser goes on in a new one, with a new id.
    await signIn(req, user.id);
    req.session.flash = 'Your password has been changed. You are logged out everywhere else.';
    return reply.redirect('/engagements', 303);
  });
}
