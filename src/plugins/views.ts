import { randomBytes } from 'node:crypto';
import path from 'node:path';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import fastifyStatic from '@fastify/static';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listEngagementsForUser } from '../core/engagement/queries.js';
import { ENGAGEMENT_ROLE_LABELS, FIRM_ROLE_LABELS } from '../domain/roles.js';
import * as format from '../core/format.js';
import { engagementFileDates } from '../features/archive/index.js';
import { vocabularyOf } from '../domain/vocabulary.js';

/** Values every template can use: the signed-in user, their engagements, the CSRF token. */
function pageLocals(req: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const user = req.user;
  const ctx = req.engagementContext;
  return {
    user,
    csrfToken: reply.generateCsrf(),
    myEngagements: user ? listEngagementsForUser(req.server.conn.db, user.id) : [],
    engagement: ctx?.engagement ?? null,
    membership: ctx?.membership ?? null,
    // The engagement's standard's words (service organisation, statement, …); SOC words outside an engagement.
    words: vocabularyOf(ctx?.engagement.framework ?? 'soc2'),
    // Only an archived engagement's banner shows its dates on every page; the lookup is spared otherwise.
    engagementFile: ctx?.engagement.archivedAt ? engagementFileDates(req.server.conn.db, ctx.engagement) : null,
    flash: takeFlash(req),
    path: req.url,
    ...SHARED,
  };
}

const SHARED = { fmt: format, roleLabels: ENGAGEMENT_ROLE_LABELS, firmRoleLabels: FIRM_ROLE_LABELS };

/** Where a body rendered beforehand goes in the layout. */
const BODY_SLOT = `<!--body-${randomBytes(8).toString('hex')}-->`;

/** A full page (layout) is wanted, rather than the fragment an htmx request asks for. */
function wantsLayout(req: FastifyRequest): boolean {
  const headers = req.headers;
  // A history restore (back button after hx-push-url, cache miss) needs the whole page, not the fragment.
  return (
    headers['hx-request'] !== 'true' ||
    headers['hx-boosted'] === 'true' ||
    headers['hx-history-restore-request'] === 'true'
  );
}

function takeFlash(req: FastifyRequest): string | null {
  const flash = req.session?.flash ?? null;
  if (flash) req.session.flash = undefined;
  return flash;
}

async function views(app: FastifyInstance): Promise<void> {
  const root = app.config.rootDir;
  const cached = !app.config.reloadTemplates;
  const eta = new Eta({ views: path.join(root, 'views'), cache: cached, autoEscape: true });
  await app.register(view, { engine: { eta }, root: path.join(root, 'views'), viewExt: 'eta', production: cached });
  await app.register(fastifyStatic, { root: path.join(root, 'static'), prefix: '/static/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules', 'htmx.org', 'dist'),
    prefix: '/static/vendor/htmx/',
    decorateReply: false,
    allowedPath: (p) => p === '/htmx.min.js',
    maxAge: '1d',
  });

  // Full pages get the layout; htmx requests get just the fragment they asked for.
  app.decorateReply(
    'page',
    async function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const locals = { ...pageLocals(this.request, this), ...data };
      // The same URL answers a fragment or a page: caches must keep them apart.
      this.header('vary', 'HX-Request');
      this.type('text/html; charset=utf-8');
      return wantsLayout(this.request)
        ? this.viewAsync(template, locals, { layout: 'layout' })
        : this.viewAsync(template, locals);
    },
  );

  // A page's main content rendered apart from anyone's session, to be kept (see shared/page-cache.ts).
  app.decorateReply(
    'renderBody',
    async function renderBody(this: FastifyReply, template: string, data: Record<string, unknown>) {
      const ctx = this.request.engagementContext;
      return this.viewAsync(template, {
        user: null,
        membership: null,
        myEngagements: [],
        flash: null,
        engagement: ctx?.engagement ?? null,
        words: vocabularyOf(ctx?.engagement.framework ?? 'soc2'),
        path: this.request.url,
        ...SHARED,
        ...data,
      });
    },
  );

  // A main content already rendered and encoded, in the layout (or alone, for htmx).
  app.decorateReply(
    'pageAround',
    async function pageAround(this: FastifyReply, body: Buffer[], data: Record<string, unknown> = {}) {
      this.header('vary', 'HX-Request');
      this.type('text/html; charset=utf-8');
      if (!wantsLayout(this.request)) return Buffer.concat(body);
      const layout = await this.viewAsync('layout', { ...pageLocals(this.request, this), ...data, body: BODY_SLOT });
      const at = layout.indexOf(BODY_SLOT);
      return Buffer.concat([
        Buffer.from(layout.slice(0, at)),
        ...body,
        Buffer.from(layout.slice(at + BODY_SLOT.length)),
      ]);
    },
  );
}

export default fp(views, { name: 'views', dependencies: ['security'] });
