// actOrRerender's options beyond the redirect: a page's fixed refusal status, and an answer that is not a
// redirect (a download), each with the rule's refusal still re-rendering the form.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/core/errors.js';
import { actOrRerender } from '../../../src/core/http/actions.js';

async function app(route: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  const instance = Fastify();
  // A bare stand-in for the session plugin: all actOrRerender does with the session is set its flash.
  instance.decorateRequest('session', { getter: () => ({}) as FastifyRequest['session'] });
  instance.addHook('onRequest', async (req) => {
    Object.defineProperty(req, 'session', { value: {} });
  });
  instance.post('/act', route);
  await instance.ready();
  return instance;
}

const refused = () => {
  throw new RuleError('No.', { status: 404 });
};

describe('actOrRerender', () => {
  it('re-renders with the rule’s own status unless the page fixes one', async () => {
    const own = await app((req, reply) =>
      actOrRerender(req, reply, { action: refused, done: 'x', back: '/', rerender: (errors) => reply.send(errors) }),
    );
    const fixed = await app((req, reply) =>
      actOrRerender(req, reply, {
        action: refused,
        done: 'x',
        back: '/',
        field: 'approve',
        status: 422,
        rerender: (errors) => reply.send(errors),
      }),
    );
    const a = await own.inject({ method: 'POST', url: '/act' });
    const b = await fixed.inject({ method: 'POST', url: '/act' });
    expect([a.statusCode, a.json()]).toEqual([404, { form: 'No.' }]);
    expect([b.statusCode, b.json()]).toEqual([422, { approve: 'No.' }]);
  });

  it('gives the answer instead of a redirect, and no flash, once the write is done', async () => {
    let flash: unknown = 'unset';
    const instance = await app(async (req, reply) => {
      const answered = await actOrRerender(req, reply, {
        action: () => 'archive.zip',
        answer: (name) => reply.header('x-file', name).send('zip'),
        rerender: (errors) => reply.send(errors),
      });
      flash = (req as unknown as { session: { flash?: string } }).session.flash;
      return answered;
    });
    const res = await instance.inject({ method: 'POST', url: '/act' });
    expect([res.statusCode, res.headers['x-file'], res.body, flash]).toEqual([200, 'archive.zip', 'zip', undefined]);
  });
});
