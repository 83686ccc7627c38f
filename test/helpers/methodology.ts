// An engagement's own copy of the firm's methodology, set directly: as if it had been opened under these settings.
import { DEFAULT_METHODOLOGY, type Methodology } from '../../src/domain/methodology.js';
import { formsOf } from '../security/sweep/forms.js';
import type { Client, TestApp } from './app.js';

export function useMethodology(
  t: TestApp,
  engagementId: number,
  settings: Partial<Methodology>,
  firmSettingsOf: string | null = '2025-11-03',
): void {
  const copy = { firmSettingsOf, settings: { ...DEFAULT_METHODOLOGY, ...settings } };
  t.app.conn.sqlite
    .prepare('UPDATE engagements SET methodology = ? WHERE id = ?')
    .run(JSON.stringify(copy), engagementId);
}

/** Saves the administrator's methodology form as the page shows it, with `changes` typed over it (null: the field
 * left out, as an unticked box). */
export async function saveMethodology(admin: Client, changes: Record<string, string | null>) {
  const page = '/admin/methodology';
  const fields = { ...formsOf((await admin.get(page)).body).get(page)! };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  return admin.post(page, fields);
}
