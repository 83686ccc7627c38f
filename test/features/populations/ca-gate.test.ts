// Completeness and accuracy gates the work (issue 13, item 8): no sample from a client's list whose C&A is open,
// a failed tie-out completed only once explained, "not needed" a senior's call with a reason that is recorded and
// shown, and no workpaper built on an open C&A marked prepared. Generated occurrences need none.
import { describe, expect, it } from 'vitest';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { CA_EVIDENCE, completeCa } from '../../helpers/ca.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { versionIn } from '../../helpers/form-version.js';
import { upload } from '../../helpers/multipart.js';
import { passAll, workpaper } from '../testing/helpers.js';

const rows = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];
const one = (t: TestApp, sql: string, ...args: unknown[]) => rows(t, sql, ...args)[0]!;
const trail = (t: TestApp, pid: number) =>
  rows(
    t,
    "SELECT action, changes FROM audit_entries WHERE entity = 'population-ca' AND entity_id = ? ORDER BY id",
    String(pid),
  ).map((r) => ({ action: r.action, changes: JSON.parse(String(r.changes)) as Record<string, [unknown, unknown]> }));

async function imported(rowCount = 120) {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const controlId = buildControl(t, eid, { reference: 'CA-GATE' });
  const senior = await loginAs(t.app, 'senior');
  await senior.get(`/engagements/${eid}/controls/${controlId}/population`);
  const res = await upload(
    t.app,
    senior,
    `/engagements/${eid}/controls/${controlId}/populations/upload`,
    { window: '0' },
    { name: 'changes.csv', content: ticketsCsv(rowCount) },
  );
  const mappingUrl = String(res.headers.location);
  await senior.get(mappingUrl);
  await senior.post(mappingUrl, {
    header: 'on',
    key: '0',
    date: '1',
    description: '2',
    amount: '3',
    dateFormat: 'iso',
  });
  const pid = Number(/populations\/(\d+)/.exec(mappingUrl)![1]);
  const url = `/engagements/${eid}/populations/${pid}`;
  const select = (client: Client) =>
    client.post(`${url}/samples`, { sizing: 'table', method: 'random', seed: '424242' });
  return { t, eid, controlId, pid, url, senior, select };
}

const saveCa = async (client: Client, url: string, fields: Record<string, string>) =>
  client.post(`${url}/ca`, { ...CA_EVIDENCE, ...fields, version: versionIn((await client.get(url)).body) });
const complete = async (client: Client, url: string) =>
  client.post(`${url}/ca/complete`, { version: versionIn((await client.get(url)).body) });

describe('selection waits for completeness and accuracy', () => {
  it('refuses a sample from a list whose C&A is open, saying what is missing, and freezes nothing', async () => {
    const { t, eid, controlId, pid, url, senior, select } = await imported();
    expect((await senior.get(`/engagements/${eid}/controls/${controlId}/sampling`)).body).toContain('C&amp;A open');
    const refused = await select(senior);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('no sample can be selected from it yet');
    expect(refused.body).toContain('Record the source system the list was extracted from.');
    expect(refused.body).toContain('Record the client’s record count');
    expect(one(t, 'SELECT status FROM populations WHERE id = ?', pid).status).toBe('draft');
    expect(rows(t, 'SELECT id FROM samples WHERE population_id = ?', pid)).toHaveLength(0);
    // Filled in but not marked complete: still refused, and the page says who completes it.
    await saveCa(senior, url, { clientCount: '120' });
    expect((await select(senior)).body).toContain('a senior marks it complete');
    expect((await complete(senior, url)).statusCode).toBe(303);
    expect((await select(senior)).statusCode).toBe(303);
    expect(one(t, 'SELECT status FROM populations WHERE id = ?', pid).status).toBe('frozen');
  });

  it('generated occurrences need no C&A', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const controlId = buildControl(t, eid, { frequency: 'monthly' });
    const staff = await loginAs(t.app, 'staff');
    await staff.get(`/engagements/${eid}/controls/${controlId}/population`);
    await staff.post(`/engagements/${eid}/controls/${controlId}/populations/generate`);
    const pid = Number(one(t, "SELECT id FROM populations WHERE control_id = ? AND status = 'draft'", controlId).id);
    expect((await staff.get(`/engagements/${eid}/controls/${controlId}/sampling`)).body).not.toContain('C&amp;A open');
    expect(
      (
        await staff.post(`/engagements/${eid}/populations/${pid}/samples`, {
          sizing: 'table',
          method: 'random',
          seed: '5',
        })
      ).statusCode,
    ).toBe(303);
  });
});

describe('the tie-out', () => {
  it('a count that disagrees blocks "complete" until the difference is explained, and the explanation is recorded', async () => {
    const { t, pid, url, senior, select } = await imported();
    await saveCa(senior, url, { clientCount: '122' });
    const page = await senior.get(url);
    expect(page.body).toContain('✕ Differs');
    expect(page.body).toContain('The tie-out fails (the client’s record count differs from the import)');
    const refused = await complete(senior, url);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('explain the difference in writing first');
    expect(one(t, 'SELECT completed_at FROM population_ca WHERE population_id = ?', pid).completed_at).toBeNull();
    const explanation =
      'Two tickets were cancelled before deployment: in Jira’s count, not in the deployment list; agreed to the deploy log.';
    await saveCa(senior, url, { clientCount: '122', tieOutExplanation: explanation });
    expect((await complete(senior, url)).statusCode).toBe(303);
    expect((await senior.get(url)).body).toContain(explanation);
    expect(trail(t, pid).at(-1)).toEqual({
      action: 'complete',
      changes: {
        completedAt: [null, expect.any(String)],
        completedBy: [null, expect.any(Number)],
        tieOutExplanation: [null, explanation],
      },
    });
    expect((await select(senior)).statusCode).toBe(303);
  });

  it('a control total that disagrees blocks it the same way', async () => {
    const { url, senior } = await imported();
    await saveCa(senior, url, { clientCount: '120', clientTotal: '1.00' });
    const refused = await complete(senior, url);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('the client’s control total differs from the import');
  });

  it('importing the list again reopens a completed C&A, in the trail', async () => {
    const { t, eid, pid, url, senior } = await imported();
    await completeCa(t, senior, eid, pid);
    await senior.post(`${url}/mapping`, { header: 'on', key: '0', date: '1', description: '2', dateFormat: 'iso' });
    expect(one(t, 'SELECT completed_at FROM population_ca WHERE population_id = ?', pid).completed_at).toBeNull();
    expect(trail(t, pid).at(-1)).toMatchObject({
      action: 'reopen',
      changes: { completedAt: [expect.any(String), null] },
    });
    expect((await senior.get(url)).body).toContain('C&amp;A open');
  });
});

describe('"not needed"', () => {
  it('is a senior’s call with a reason, recorded and shown on the population, the workpaper and the printout', async () => {
    const { t, eid, controlId, pid, url, senior, select } = await imported();
    const staff = await loginAs(t.app, 'staff');
    const version = versionIn((await staff.get(url)).body);
    expect((await staff.post(`${url}/ca/not-needed`, { reason: 'System-generated list', version })).statusCode).toBe(
      403,
    );
    const blank = await senior.post(`${url}/ca/not-needed`, {
      reason: '  ',
      version: versionIn((await senior.get(url)).body),
    });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('Reason C&amp;A work is not needed is required.');
    const reason =
      'The list is the deployment pipeline’s own log, complete by construction; the pipeline is covered by the ITGC tests.';
    expect(
      (await senior.post(`${url}/ca/not-needed`, { reason, version: versionIn((await senior.get(url)).body) }))
        .statusCode,
    ).toBe(303);
    expect((await senior.get(url)).body).toContain('C&amp;A not needed');
    expect(trail(t, pid).at(-1)).toMatchObject({
      action: 'not-needed',
      changes: {
        notNeededReason: [null, reason],
        notNeededBy: [null, expect.any(Number)],
        notNeededAt: [null, expect.any(String)],
      },
    });
    expect((await select(senior)).statusCode).toBe(303);
    const wp = await senior.get(`/engagements/${eid}/controls/${controlId}/workpaper/${pid}`);
    expect(wp.body).toContain(`Not needed, marked by Daniel Okafor on`);
    expect(wp.body).toContain(reason);
    const printed = await senior.get(`/engagements/${eid}/controls/${controlId}/workpaper/${pid}/print`);
    expect(printed.body).toContain('Marked not needed by Daniel Okafor');
    expect(printed.body).toContain(reason);
  });

  it('is refused once the C&A is complete', async () => {
    const { t, eid, pid, url, senior } = await imported();
    await completeCa(t, senior, eid, pid);
    const refused = await senior.post(`${url}/ca/not-needed`, {
      reason: 'Changed my mind',
      version: versionIn((await senior.get(url)).body),
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('already complete');
  });
});

describe('"prepared" waits for completeness and accuracy', () => {
  it('is refused while the population’s C&A is open, listed with the other missing things', async () => {
    const w = await workpaper({ ca: 'reopened' });
    const refused = await w.staff.post(`${w.url}/prepared`);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Completeness and accuracy of the population (changes.csv) is open');
    expect(refused.body).toContain('No conclusion is set.');
    await passAll(w);
    const version = /name="version" value="(\d+)"/.exec((await w.staff.get(w.url)).body)![1]!;
    await w.staff.post(`${w.url}/conclusion`, { accept: '1', reason: '', version });
    const still = await w.staff.post(`${w.url}/prepared`);
    expect(still.statusCode).toBe(422);
    expect(still.body).toContain('Completeness and accuracy of the population (changes.csv) is open');
    const senior = await loginAs(w.t.app, 'senior');
    const pid = Number(/workpaper\/(\d+)/.exec(w.url)![1]);
    await completeCa(w.t, senior, w.eid, pid);
    expect((await w.staff.post(`${w.url}/prepared`)).statusCode).toBe(303);
  });
});
