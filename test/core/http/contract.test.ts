// What a route declares it accepts: ids read as numbers, a query string read as readQuery reads it, a form
// body always read (never refused) with what was typed kept; and the error handler's answer when a
// declared part is broken.
import fc from 'fast-check';
import Fastify, { type FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  contractBroken,
  formOf,
  pathIds,
  queryOf,
  typed,
  typedInput,
  useRouteContracts,
} from '../../../src/core/http/contract.js';
import { text } from '../../../src/core/http/forms.js';
import { idParam } from '../../../src/core/http/params.js';

describe('pathIds', () => {
  const params = pathIds('controlId');

  it('reads a plain positive id as a number and lets other params through unread', () => {
    expect(params.parse({ controlId: '42', engagementId: '7' })).toEqual({ controlId: 42, engagementId: '7' });
  });

  it('refuses what idParam refuses, and accepts what it accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('01', '1e3', '-1', '0', '9'.repeat(16))),
        (raw) => {
          const read = params.safeParse({ controlId: raw });
          const expected = idParam(raw);
          expect(read.success ? read.data.controlId : NaN).toEqual(expected);
        },
      ),
    );
  });
});

describe('queryOf', () => {
  const query = queryOf(z.object({ status: z.enum(['open', 'closed']).optional() }));

  it('reads a value the schema accepts', () => {
    expect(query.parse({ status: 'open' })).toEqual({ status: 'open' });
  });

  it('refuses a parameter given twice, too long, or a value the schema refuses, naming it', () => {
    for (const raw of [{ status: ['open', 'closed'] }, { status: 'x'.repeat(201) }, { status: 'both' }]) {
      const read = query.safeParse(raw);
      expect(read.success).toBe(false);
      expect(read.error?.issues[0]?.message).toContain('“status”');
    }
  });
});

describe('formOf', () => {
  const form = formOf(z.object({ name: text('Name') }));

  it('gives the values and keeps what was typed', () => {
    const reading = form.parse({ name: ' Ada ' });
    expect(reading).toMatchObject({ ok: true, value: { name: 'Ada' }, input: { name: ' Ada ' } });
    expect(typedInput(reading)).toEqual({ name: ' Ada ' });
  });

  it('never refuses: a form that does not parse gives its messages and what was typed', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const reading = form.parse(raw);
        expect(reading.ok ? 'value' in reading : Object.keys(reading.errors).length > 0).toBe(true);
        expect(typeof typedInput(reading)).toBe('object');
      }),
    );
  });

  it('leaves the raw body of a route that declares no form as it is', () => {
    expect(typedInput({ name: 'x' })).toEqual({ name: 'x' });
    expect(typedInput(undefined)).toEqual({});
  });
});

describe('a route with a declared contract', () => {
  async function app() {
    const instance = Fastify();
    useRouteContracts(instance);
    instance.setErrorHandler(async (error: FastifyError, _req, reply) =>
      reply.code(error.statusCode ?? 500).send(contractBroken(error) ?? { part: 'none' }),
    );
    typed(instance).get(
      '/things/:thingId',
      { schema: { params: pathIds('thingId'), querystring: queryOf(z.object({ page: z.string().optional() })) } },
      async (req) => ({ id: req.params.thingId + 1, page: req.query.page ?? null }),
    );
    return instance;
  }

  it('hands the handler typed values', async () => {
    const res = await (await app()).inject('/things/41?page=2');
    expect(res.json()).toEqual({ id: 42, page: '2' });
  });

  it('tells the error handler which part was broken', async () => {
    const server = await app();
    expect((await server.inject('/things/abc')).json()).toMatchObject({ part: 'params' });
    expect((await server.inject('/things/1?page=1&page=2')).json()).toMatchObject({ part: 'querystring' });
  });
});
