// Two people open a population's completeness-and-accuracy record and both save: the second is refused with 409,
// sees what the first stored and who, keeps its own input; marking complete a record changed since is refused too.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { versionIn } from '../../helpers/form-version.js';

// The client's count is the rows imported, so only the versions decide whether a save or a completion lands.
const caForm = (procedures: string, version: string) => ({
  sourceSystem: 'Workday',
  reportUsed: 'Report: terminations 2025',
  extractedBy: 'Client HR',
  extractedOn: '2026-01-06',
  clientCount: String(demoRows),
  clientTotal: '',
  procedures,
  version,
});
let demoRows = 0;
const nameOf = (t: TestApp, who: string) =>
  (
    t.app.conn.sqlite.prepare('SELECT name FROM users WHERE email = ?').get(`${who}@demo.tickmark.test`) as {
      name: string;
    }
  ).name;

async function bothOpen() {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const population = (
    t.app.conn.sqlite
      .prepare(
        "SELECT p.id FROM population_ca ca JOIN populations p ON p.id = ca.population_id WHERE p.engagement_id = ? AND p.status <> 'replaced' ORDER BY p.id LIMIT 1",
      )
      .get(eid) as { id: number }
  ).id;
  const url = `/engagements/${eid}/populations/${population}`;
  demoRows = (
    t.app.conn.sqlite.prepare('SELECT row_count AS n FROM populations WHERE id = ?').get(population) as { n: number }
  ).n;
  const senior = await loginAs(t.app, 'senior');
  const staff = await loginAs(t.app, 'staff');
  const version = versionIn((await senior.get(url)).body);
  expect(versionIn((await staff.get(url)).body)).toBe(version);
  const stored = () =>
    t.app.conn.sqlite
      .prepare('SELECT procedures, completed_at AS completedAt, version FROM population_ca WHERE population_id = ?')
      .get(population) as { procedures: string; completedAt: string | null; version: number };
  return { t, url, senior, staff, version, stored };
}

describe('the C&A record saved by two people at once', () => {
  it('refuses the second save with the first one’s values, keeping its input', async () => {
    const { t, url, senior, staff, version, stored } = await bothOpen();
    expect(
      (await senior.post(`${url}/ca`, caForm('Re-ran the report with HR and agreed the count.', version))).statusCode,
    ).toBe(303);
    const refused = await staff.post(`${url}/ca`, caForm('Inspected the report parameters.', version));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`${nameOf(t, 'senior')} saved the completeness and accuracy record on`);
    expect(refused.body).toContain('<dd class="pre">Re-ran the report with HR and agreed the count.</dd>');
    expect(refused.body).toContain('>Inspected the report parameters.</textarea>');
    expect(stored().procedures).toBe('Re-ran the report with HR and agreed the count.');
    expect(versionIn(refused.body)).toBe(String(stored().version));
    expect(
      (await staff.post(`${url}/ca`, caForm('Inspected the report parameters.', versionIn(refused.body)))).statusCode,
    ).toBe(303);
    expect(stored().procedures).toBe('Inspected the report parameters.');
  });

  it('marking complete a record someone changed since is refused, and nothing is completed', async () => {
    const { url, senior, staff, stored } = await bothOpen();
    // The staff member saves (which reopens the record); the senior marks it complete from the page loaded before.
    const staffVersion = versionIn((await staff.get(url)).body);
    expect((await staff.post(`${url}/ca`, caForm('Procedures as first written.', staffVersion))).statusCode).toBe(303);
    const seen = versionIn((await senior.get(url)).body);
    expect(
      (await staff.post(`${url}/ca`, caForm('Procedures rewritten meanwhile.', versionIn((await staff.get(url)).body))))
        .statusCode,
    ).toBe(303);
    const refused = await senior.post(`${url}/ca/complete`, { version: seen });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('<dd class="pre">Procedures rewritten meanwhile.</dd>');
    expect(stored().completedAt).toBeNull();
    expect((await senior.post(`${url}/ca/complete`, { version: versionIn(refused.body) })).statusCode).toBe(303);
    expect(stored().completedAt).not.toBeNull();
  });
});
