// Administration → Trusted keys: the public keys of other Tickmark instances whose signed archives import as
// verified engagements. This instance's own key is always trusted and shown for other instances to add.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, pathIds, typed } from '../../core/http/contract.js';
import {
  addTrustedKey,
  formatFingerprint,
  parsePublicKey,
  removeTrustedKey,
  trustedKeyList,
} from '../../core/signing/index.js';
import { text, type FieldErrors } from '../../core/http/forms.js';
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

  const routes = typed(app);
  routes.post('/admin/trusted-keys', { schema: { body: formOf(addKeyForm) } }, async (req, reply) => {
    const parsed = req.body;
    if (!parsed.ok) return render(reply.code(422), parsed.errors, parsed.input);
    const { label, publicKey } = parsed.value;
    return actOrRerender(req, reply, {
      action: () => {
        const key = parsePublicKey(publicKey);
        addTrustedKey(db, own, currentUser(req).id, label, key);
        return key;
      },
      done: (key) =>
        `Archives signed by “${label}” (${formatFingerprint(key.fingerprint)}) now import as verified engagements.`,
      back: '/admin/trusted-keys',
      field: 'publicKey',
      status: 422,
      rerender: (errors, input) => render(reply, errors, input),
    });
  });

  // Not a loader: removing is the lookup (a key already removed is the 404 page).
  routes.post('/admin/trusted-keys/:keyId/remove', { schema: { params: pathIds('keyId') } }, async (req, reply) => {
    const removed = removeTrustedKey(db, currentUser(req).id, req.params.keyId);
    if (!removed) return reply.callNotFound();
    return done(
      req,
      reply,
      `“${removed.label}” is no longer trusted: its archives import only as unverified copies. Engagements already imported are unchanged.`,
    );
  });
}
