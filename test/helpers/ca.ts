// Completeness and accuracy recorded and completed through the population page, as a senior does before sampling.
import type { Client, TestApp } from './app.js';
import { versionIn } from './form-version.js';

export const CA_EVIDENCE = {
  sourceSystem: 'Jira Cloud (project CHG)',
  reportUsed: 'JQL: project = CHG AND status = Deployed',
  extractedBy: 'Client IT (observed)',
  extractedOn: '2026-01-06',
  clientTotal: '',
  procedures: 'Observed the query being run; agreed the record count to the Jira screen.',
  tieOutExplanation: '',
};

/** Saves the C&A record with the client's count equal to the rows imported, then marks it complete. */
export async function completeCa(
  t: TestApp,
  client: Client,
  engagementId: number,
  populationId: number,
): Promise<void> {
  const url = `/engagements/${engagementId}/populations/${populationId}`;
  const { row_count: rows } = t.app.conn.sqlite
    .prepare('SELECT row_count FROM populations WHERE id = ?')
    .get(populationId) as { row_count: number };
  const saved = await client.post(`${url}/ca`, {
    ...CA_EVIDENCE,
    clientCount: String(rows),
    version: versionIn((await client.get(url)).body),
  });
  if (saved.statusCode !== 303) throw new Error(`saving the C&A answered ${saved.statusCode}`);
  const completed = await client.post(`${url}/ca/complete`, { version: versionIn((await client.get(url)).body) });
  if (completed.statusCode !== 303)
    throw new Error(`completing the C&A answered ${completed.statusCode}: ${completed.body.slice(0, 300)}`);
}
