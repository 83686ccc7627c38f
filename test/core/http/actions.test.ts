// The one way a form route writes (actOrRerender), ended by a flash and redirect or by the route's own answer,
// a page's fixed refusal status, and the multipart parser's limits turned into refusals it can put back beside
// the file field.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { RuleError } from '../../../src/core/errors.js';
import { actOrRerender } from '../../../src/core/http/actions.js';
import { uploadLimitRefusal } from '../../../src/core/http/uploads.js';

function exchange() {
  const req = { body: { name: 'typed' }, session: {} as { flash?: string } };
  const sent: { status?: number; redirect?: string } = {};
  const reply = {
    code(status: number) {
      sent.status = status;
      return this;
    },
    redirect(to: string, status: number) {
      sent.redirect = to;
      sent.status = status;
      return 'redirected';
    },
  };
  return { req, reply, sent, pair: [req as unknown as FastifyRequest, reply as unknown as FastifyReply] as const };
}

describe('actOrRerender', () => {
  it('flashes and redirects once the write is done', async () => {
    const { req, sent, pair } = exchange();
    await actOrRerender(...pair, {
      action: () => 7,
      done: (n) => `Saved ${n}.`,
      back: '/back',
      rerender: () => 'form',
    });
    expect(req.session.flash).toBe('Saved 7.');
    expect(sent).toEqual({ status: 303, redirect: '/back' });
  });

  it('answers with the route’s own answer in place of the flash and redirect', async () => {
    const { req, sent, pair } = exchange();
    const answer = await actOrRerender(...pair, {
      action: () => 7,
      answer: (n) => `fragment ${n}`,
      rerender: () => 'form',
    });
    expect(answer).toBe('fragment 7');
    expect(req.session.flash).toBeUndefined();
    expect(sent).toEqual({});
  });

  it('puts a refusal back in the form with its status, whichever way the write would have ended', async () => {
    const { sent, pair } = exchange();
    const shown = await actOrRerender(...pair, {
      action: () => {
        throw new RuleError('Too big.', { field: 'file', status: 413 });
      },
      answer: () => 'never',
      rerender: (errors, input) => ({ errors, input }),
    });
    expect(shown).toEqual({ errors: { file: 'Too big.' }, input: { name: 'typed' } });
    expect(sent.status).toBe(413);
  });
});

describe('uploadLimitRefusal', () => {
  it('turns the parser’s limits into 413 refusals beside the file field and leaves other errors alone', () => {
    const tooLarge = uploadLimitRefusal({ code: 'FST_REQ_FILE_TOO_LARGE' }, 'Over 1 MB.');
    expect(tooLarge).toBeInstanceOf(RuleError);
    expect(tooLarge).toMatchObject({ message: 'Over 1 MB.', field: 'file', status: 413 });
    expect(uploadLimitRefusal({ code: 'FST_FILES_LIMIT' }, 'Over 1 MB.')).toMatchObject({
      message: 'Upload one file at a time.',
      status: 413,
    });
    const other = new Error('disk full');
    expect(uploadLimitRefusal(other, 'Over 1 MB.')).toBe(other);
    expect(uploadLimitRefusal(undefined, 'Over 1 MB.')).toBeUndefined();
  });
});

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

describe('actOrRerender on a fastify route', () => {
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
