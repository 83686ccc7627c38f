import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { FIRM_ROLES, sessions, users } from '../../db/schema/index.js';
import { appendAudit, diff } from '../../core/audit/trail.js';
import { hashPassword, passwordProblem } from '../auth/index.js';
import { email, text, type FieldErrors } from '../../core/http/forms.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import { userInPath } from './loaders.js';
import { methodologyRoutes } from './methodology-routes.js';
import { trustedKeyRoutes } from './trusted-keys-routes.js';
import { currentUser } from '../../core/auth/current-user.js';

const password = z
  .string()
  .default('')
  .superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const role = z.enum(FIRM_ROLES, { error: 'Choose a role.' });
const createUserForm = z.object({ name: text('Name'), email, firmRole: role, password });
const roleForm = z.object({ firmRole: role });
const resetForm = z.object({ password });

/** Firm administration: only administrators, and never on engagement data. */
export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;

  await app.register(trustedKeyRoutes);
  await app.register(methodologyRoutes);

  const render = (
    _req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
  ) =>
    reply.page('admin/users', {
      title: 'Users',
      users: db.select().from(users).where(isNull(users.recordedEmail)).orderBy(asc(users.name)).all(),
      roles: FIRM_ROLES,
      errors,
      input,
    });
  const done = (req: FastifyRequest, reply: FastifyReply, flash: string) => {
    req.session.flash = flash;
    return reply.redirect('/admin/users', 303);
  };
  const routes = typed(app);
  /** The user the path names; people recorded from an unverified archive are not accounts (404). */
  const ofUser = { schema: { params: pathIds('userId') }, preHandler: userInPath.preHandler };
  const ofUserWith = <B>(body: B) => ({ ...ofUser, schema: { ...ofUser.schema, body } });

  app.get('/admin/users', async (req, reply) => render(req, reply));

  routes.post('/admin/users', { schema: { body: formOf(createUserForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input);
    const { password: pw, ...values } = parsed.value;
    if (db.select().from(users).where(eq(users.email, values.email)).get()) {
      return render(req, reply.code(422), { email: 'A user with this email already exists.' }, parsed.input);
    }
    const passwordHash = await hashPassword(pw);
    db.transaction((tx) => {
      const row = tx
        .insert(users)
        .values({ ...values, passwordHash, mustChangePassword: true, createdAt: new Date().toISOString() })
        .returning()
        .get();
      appendAudit(tx, currentUser(req).id, {
        engagementId: null,
        entity: 'user',
        entityId: row.id,
        action: 'create',
        changes: diff(null, row, ['name', 'email', 'firmRole']),
      });
    });
    return done(
      req,
      reply,
      `${values.name} can now log in with the temporary password you set; they will be asked to change it.`,
    );
  });

  routes.post('/admin/users/:userId/role', ofUserWith(formOf(roleForm)), async (req, reply) => {
    const user = userInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok)
      return render(req, reply.code(422), { [`role-${user.id}`]: parsed.errors.firmRole ?? 'Choose a role.' });
    if (user.id === currentUser(req).id && parsed.value.firmRole !== 'admin')
      return render(req, reply.code(422), { [`role-${user.id}`]: 'You cannot remove your own administrator role.' });
    db.transaction((tx) => {
      tx.update(users).set({ firmRole: parsed.value.firmRole }).where(eq(users.id, user.id)).run();
      appendAudit(tx, currentUser(req).id, {
        engagementId: null,
        entity: 'user',
        entityId: user.id,
        action: 'update',
        changes: { firmRole: [user.firmRole, parsed.value.firmRole] },
      });
    });
    return done(req, reply, `${user.name} is now ${parsed.value.firmRole}.`);
  });

  routes.post('/admin/users/:userId/active', ofUser, async (req, reply) => {
    const user = userInPath.of(req);
    if (user.id === currentUser(req).id)
      return render(req, reply.code(422), { [`active-${user.id}`]: 'You cannot deactivate yourself.' });
    const active = !user.active;
    db.transaction((tx) => {
      tx.update(users).set({ active }).where(eq(users.id, user.id)).run();
      if (!active) tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
      appendAudit(tx, currentUser(req).id, {
        engagementId: null,
        entity: 'user',
        entityId: user.id,
        action: 'update',
        changes: { active: [user.active, active] },
      });
    });
    return done(
      req,
      reply,
      active ? `${user.name} is active again.` : `${user.name} is deactivated and logged out everywhere.`,
    );
  });

  routes.post('/admin/users/:userId/password', ofUserWith(formOf(resetForm)), async (req, reply) => {
    const user = userInPath.of(req);
    const parsed = req.body;
    if (!parsed.ok)
      return render(req, reply.code(422), { [`password-${user.id}`]: parsed.errors.password ?? 'Invalid password.' });
    const passwordHash = await hashPassword(parsed.value.password);
    db.transaction((tx) => {
      tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, user.id)).run();
      tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
      appendAudit(tx, currentUser(req).id, {
        engagementId: null,
        entity: 'user',
        entityId: user.id,
        action: 'reset-password',
        changes: {},
      });
    });
    return done(req, reply, `Password of ${user.name} reset; they must change it at their next log-in.`);
  });
}
