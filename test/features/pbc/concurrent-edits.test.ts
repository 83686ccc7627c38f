// The senior and the manager both open the same PBC request and both save: the second is refused with 409, sees
// what the first stored and who, keeps its own input, and nothing is written until it saves again deliberately.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';

describe('a PBC request edited by two people at once', () => {
  it('refuses the second save with the first one’s values, keeping its input', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const request = t.app.conn.sqlite
      .prepare('SELECT id, reference, description FROM pbc_requests WHERE engagement_id = ? ORDER BY id LIMIT 1')
      .get(eid) as { id: number; reference: string; description: string };
    const stored = () =>
      t.app.conn.sqlite.prepare('SELECT status, answer, version FROM pbc_requests WHERE id = ?').get(request.id) as {
        status: string;
        answer: string;
        version: number;
      };
    const url = `/engagements/${eid}/pbc/${request.id}`;
    const senior = await loginAs(t.app, 'senior');
    const manager = await loginAs(t.app, 'manager');
    const version = versionIn((await senior.get(`${url}/edit`)).body);
    expect(versionIn((await manager.get(`${url}/edit`)).body)).toBe(version);
    const form = (status: string, answer: string, v = version) => ({
      reference: request.reference,
      description: request.description,
      status,
      answer,
      version: v,
    });

    expect((await senior.post(url, form('accepted', 'Listing received and agreed to the HR system.'))).statusCode).toBe(
      303,
    );
    const refused = await manager.post(url, form('returned', 'Listing incomplete: December missing.'));
    expect(refused.statusCode).toBe(409);
    const seniorName = (
      t.app.conn.sqlite.prepare("SELECT name FROM users WHERE email = 'senior@demo.tickmark.test'").get() as {
        name: string;
      }
    ).name;
    expect(refused.body).toContain(`${seniorName} saved request ${request.reference} on`);
    expect(refused.body).toContain('<dd class="pre">Listing received and agreed to the HR system.</dd>');
    expect(refused.body).toContain('value="Listing incomplete: December missing."');
    expect(refused.body).toMatch(/<option value="returned" selected>/);
    expect(stored()).toMatchObject({ status: 'accepted', answer: 'Listing received and agreed to the HR system.' });
    expect(
      t.app.conn.sqlite
        .prepare(
          "SELECT count(*) AS n FROM audit_entries WHERE entity = 'pbc-request' AND entity_id = ? AND action = 'update'",
        )
        .get(String(request.id)),
    ).toEqual({ n: 1 });

    expect(versionIn(refused.body)).toBe(String(stored().version));
    expect(
      (await manager.post(url, form('returned', 'Listing incomplete: December missing.', versionIn(refused.body))))
        .statusCode,
    ).toBe(303);
    expect(stored()).toMatchObject({ status: 'returned' });
  });

  it('adding a request needs no version (pbc.test.ts shows the spreadsheet import still updating by reference)', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    await senior.get(`/engagements/${eid}/pbc`);
    expect(
      (await senior.post(`/engagements/${eid}/pbc`, { description: 'Firewall rule review evidence' })).statusCode,
    ).toBe(303);
  });
});
