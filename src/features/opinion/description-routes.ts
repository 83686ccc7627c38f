// Concluding whether the description fairly presents the system: yes, or no with the matters.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { engagementOf } from '../../core/engagement/access.js';
import { parseForm, type FieldErrors } from '../../core/http/forms.js';
import { StaleVersionError, versionOf } from '../../core/http/versions.js';
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
  done: (req: FastifyRequest, reply: FastifyReply, flash: string) => unknown;
}

export function descriptionRoutes(app: FastifyInstance, { render, done }: Pages): void {
  const { db } = app.conn;

  app.post('/opinion/description', async (req, reply) => {
    const parsed = parseForm(descriptionForm, req.body);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors);
    const fairlyPresented = parsed.value.fairlyPresented === 'yes';
    try {
      recordDescription(
        db,
        currentUser(req),
        engagementOf(req).engagement.id,
        { fairlyPresented, matters: parsed.value.descriptionMatters },
        versionOf(req.body),
      );
    } catch (err) {
      if (!(err instanceof StaleVersionError)) throw err;
      return render(req, reply.code(409), {
        descriptionPresentation:
          'Someone concluded on the description after you opened the page; the conclusion now stored is shown. Nothing was saved.',
      });
    }
    return done(
      req,
      reply,
      fairlyPresented
        ? 'Recorded: the description fairly presents the system.'
        : 'Recorded: the description does not fairly present the system; element (a) qualifies the opinion.',
    );
  });
}
