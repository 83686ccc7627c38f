import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDaysIso, toEpochDay } from '../../domain/periods.js';
import { engagementOf } from '../../core/engagement/access.js';
import { isoDate, optionalIsoDate, type FieldErrors } from '../../core/http/forms.js';
import { formOf, typed } from '../../core/http/contract.js';
import { configuredMethodology } from '../methodology/index.js';
import { rollForward } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

const nextPeriodForm = z
  .object({
    periodStart: isoDate('Period start'),
    periodEnd: isoDate('Period end'),
    plannedReportDate: optionalIsoDate('Planned report date'),
  })
  .refine((v) => v.periodEnd > v.periodStart, {
    message: 'Period end must be after period start.',
    path: ['periodEnd'],
  });

/** The same calendar span one year on: 2025-01-01..2025-12-31 → 2026-01-01..2026-12-31. */
function oneYearOn(date: string): string {
  const [y, m, d] = date.split('-');
  const candidate = `${Number(y) + 1}-${m}-${d}`;
  try {
    toEpochDay(candidate);
    return candidate;
  } catch {
    return addDaysIso(`${Number(y) + 1}-${m}-01`, Number(d) - 2); // 29 February → 28 February
  }
}

export async function rollForwardRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const render = (
    _req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
  ) => reply.page('roll-forward/form', { title: 'Roll forward', values, errors });

  app.get('/roll-forward', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return render(req, reply, {
      periodStart: oneYearOn(engagement.periodStart),
      periodEnd: oneYearOn(engagement.periodEnd),
      plannedReportDate: engagement.plannedReportDate ? oneYearOn(engagement.plannedReportDate) : '',
    });
  });

  typed(app).post('/roll-forward', { schema: { body: formOf(nextPeriodForm) } }, async (req, reply) => {
    const { engagement } = engagementOf(req);
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.input, parsed.errors);
    if (parsed.value.periodStart <= engagement.periodEnd)
      return render(req, reply.code(422), parsed.input, {
        periodStart: 'The next period starts after this one ends.',
      });
    const created = rollForward(db, currentUser(req), engagement.id, parsed.value, configuredMethodology(app.config));
    req.session.flash = `Next period's engagement created from ${engagement.clientName} ${engagement.periodStart.slice(0, 4)}.`;
    return reply.redirect(`/engagements/${created.id}`, 303);
  });
}
