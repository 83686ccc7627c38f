// Concluding whether the description fairly presents the system: yes, or no with the matters.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { engagementOf } from '../../core/engagement/access.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, typed } from '../../core/http/contract.js';
import { versionOf } from '../../core/http/versions.js';
import { recordDescription } from './description.js';
import { currentUser } from '../../core/auth/current-user.js';

const descriptionForm = z
  .object({
    fairlyPresented: z.enum(['yes', 'no'], { error: 'Say whether the description fairly presents the system.' }),
    descriptionMatters: z.string().trim().max(4000, 'Keep the matters under 4000 characters.').optional().default(''),
  })
  .refine((v) => v.fairlyPresented === 'yes' || v.descriptionMatters.length >= 10, {
    message: 'Describe what the description misstates or omits.',
    path: ['descriptionMatters'],
  });

interface Pages {
  render: (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors) => Promise<unknown>;
}

export function descriptionRoutes(app: FastifyInstance, { render }: Pages): void {
  const { db } = app.conn;

  typed(app).post('/opinion/description', { schema: { body: formOf(descriptionForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    const fairlyPresented = parsed.value.fairlyPresented === 'yes';
    const presentation = { fairlyPresented, matters: parsed.value.descriptionMatters };
    const { engagement } = engagementOf(req);
    return actOrRerender(req, reply, {
      action: () => recordDescription(db, currentUser(req), engagement.id, presentation, versionOf(parsed.input)),
      done: fairlyPresented
        ? 'Recorded: the description fairly presents the system.'
        : 'Recorded: the description does not fairly present the system; element (a) qualifies the opinion.',
      back: `/engagements/${engagement.id}/opinion`,
      field: 'descriptionPresentation',
      rerender: (errors) => render(req, reply, errors),
      onStale: () =>
        render(req, reply.code(409), {
          descriptionPresentation:
            'Someone concluded on the description after you opened the page; the conclusion now stored is shown. Nothing was saved.',
        }),
    });
  });
}
