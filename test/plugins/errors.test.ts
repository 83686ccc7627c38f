// The error handler renders a RuleError no form took back: its status and its message, as a whole page or,
// for htmx, as the fragment alone.
import { describe, expect, it } from 'vitest';
import { RuleError, type RuleStatus } from '../../src/core/errors.js';
import { StaleVersionError } from '../../src/core/http/versions.js';
import { buildTestApp, loginAs } from '../helpers/app.js';

const STATUSES: RuleStatus[] = [400, 409, 422];

async function appThrowing() {
  const { app } = await buildTestApp();
  // Public, so the firm-role gate (which wants a row in route-rules.ts) lets the probe through.
  app.get<{ Params: { status: string } }>('/rule-error/:status', { config: { public: true } }, async (req) => {
    throw new RuleError(`Refused with ${req.params.status} & why`, { status: Number(req.params.status) as RuleStatus });
  });
  app.get('/stale-version', { config: { public: true } }, async () => {
    throw new StaleVersionError(3);
  });
  return loginAs(app, 'staff');
}

describe('the error handler and RuleError', () => {
  it.each(STATUSES)(
    'renders a RuleError of status %i with its status and message, as a page and as an htmx fragment',
    async (status) => {
      const client = await appThrowing();
      const page = await client.get(`/rule-error/${status}`);
      expect(page.statusCode).toBe(status);
      expect(page.body).toContain(`Refused with ${status} &amp; why`);
      expect(page.body).toContain('<html');
      const fragment = await client.get(`/rule-error/${status}`, { 'hx-request': 'true' });
      expect(fragment.statusCode).toBe(status);
      expect(fragment.body).toContain(`Refused with ${status} &amp; why`);
      expect(fragment.body).not.toContain('<html');
    },
  );

  it('renders a RuleError of status 404 as the no-such-page page, without its message', async () => {
    const client = await appThrowing();
    for (const headers of [{}, { 'hx-request': 'true' }] as Record<string, string>[]) {
      const res = await client.get('/rule-error/404', headers);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Page not found');
      expect(res.body).not.toContain('Refused with');
    }
  });

  it('renders a stale save no form took back as a 409 with its message', async () => {
    const client = await appThrowing();
    const res = await client.get('/stale-version');
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('changed by someone else');
  });
});
