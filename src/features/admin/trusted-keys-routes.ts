// Administration → Trusted keys: the public keys of other Tickmark instances whose signed archives import as
// verified engagements. This instance's own key is always trusted and shown for other instances to add.
import { RuleError } from '../../core/errors.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pathId } from '../../core/http/params.js';
import {
  addTrustedKey,
  formatFingerprint,
  parsePublicKey,
  removeTrustedKey,
  trustedKeyList,
} from '../../core/signing/index.js';
import { parseForm, text, type FieldErrors } from '../../core/http/forms.js';
import { currentUser } from '../../core/auth/current-user.js';

const addKeyForm = z.object({
  label: text('Label', 200),
  publicKey: z.string().max(4000, 'The key is far longer than an Ed25519 public key.').default(''),
});

/** Registered inside the administrators-only admin scope. */
export async function trustedKeyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const own = app.signingKey;

  const render = (reply: FastifyReply, errors: FieldErrors = {}, input: Record<string, unknown> = {}) =>
    reply.page('admin/trusted-keys', {
      title: 'Trusted keys',
      own: { pem: own.publicKey.pem, fingerprint: formatFingerprint(own.publicKey.fingerprint) },
      keys: trustedKeyList(db).map((k) => ({ ...k, fingerprint: formatFingerprint(k.fingerprint) })),
      errors,
      input,
    });
  const done = (req: FastifyRequest, reply: FastifyReply, flash: string) => {
    req.session.flash = flash;
    return reply.redirect('/admin/trusted-keys', 303);
  };

  app.get('/admin/trusted-keys', async (_req, reply) => render(reply));

  app.post('/admin/trusted-keys', async (req, reply) => {
    const parsed = parseForm(addKeyForm, req.body);
    if (!parsed.ok) return render(reply.code(422), parsed.errors, parsed.input);
    const input = req.body as Record<string, unknown>;
    try {
      const key = parsePublicKey(parsed.value.publicKey);
      addTrustedKey(db, own, currentUser(req).id, parsed.value.label, key);
      return done(
        req,
        reply,
        `Archives signed by “${parsed.value.label}” (${formatFingerprint(key.fingerprint)}) now import as verified engagements.`,
      );
    } catch (err) {
      if (err instanceof RuleError) return render(reply.code(422), { publicKey: err.message }, input);
      throw err;
    }
  });

  app.post<{ Params: { keyId: string } }>('/admin/trusted-keys/:keyId/remove', async (req, reply) => {
    const removed = removeTrustedKey(db, currentUser(req).id, pathId(req, 'keyId'));
    if (!removed) return reply.callNotFound();
    return done(
      req,
      reply,
      `“${removed.label}” is no longer trusted: its archives import only as unverified copies. Engagements already imported are unchanged.`,
    );
  });
}
