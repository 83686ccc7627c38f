import { integer, sqliteTable, text, index } from 'drizzle-orm/sqlite-core';

export const FIRM_ROLES = ['staff', 'senior', 'manager', 'partner', 'admin'] as const;
export type FirmRole = (typeof FIRM_ROLES)[number];

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  firmRole: text('firm_role', { enum: FIRM_ROLES }).notNull(),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
  /** Set on a person named by an unverified archive copy: a record of who the archive says acted, never an
   * account. Such a row never logs in, is never listed or chosen, and `email` holds a placeholder. */
  recordedEmail: text('recorded_email'),
});

export const sessions = sqliteTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    data: text('data').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** The current run of failed log-ins per email address (known or not), for the per-account delay. */
export const loginFailures = sqliteTable('login_failures', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  firstFailureAt: integer('first_failure_at').notNull(),
  /** When the latest failure of the run happened (ms since the epoch): the delay counts from here. */
  lastFailureAt: integer('last_failure_at').notNull().default(0),
});
