import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Client, TestApp } from '../../helpers/app.js';

/** Posts one file the way a browser's multipart form does, the CSRF token first (or none with `csrf: false`). */
export async function upload(
  app: FastifyInstance,
  client: Client,
  url: string,
  fileName: string,
  content: Buffer | string,
  options: { csrf?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const boundary = `----tickmark${Math.random().toString(16).slice(2)}`;
  const token =
    options.csrf === false
      ? ''
      : `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrf}\r\n`;
  const head = `${token}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'POST',
    url,
    payload,
    headers: { cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

export async function xlsxOf(rows: (string | number | null)[][], sheetName = 'Controls'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function rowsOfXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(
      ((row.values as ExcelJS.CellValue[]).slice(1) as unknown[]).map((v) =>
        v === null || v === undefined ? '' : String(v),
      ),
    );
  });
  return rows;
}

export function count(t: TestApp, sql: string, ...params: unknown[]): number {
  return (t.app.conn.sqlite.prepare(sql).get(...params) as { n: number }).n;
}

export function controlId(t: TestApp, reference: string): number {
  return (t.app.conn.sqlite.prepare('SELECT id FROM controls WHERE reference = ?').get(reference) as { id: number }).id;
}

export const HEADER = [
  'Control ID',
  'Control description',
  'Control owner',
  'Frequency',
  'Nature',
  'Type',
  'Key control',
  'Risk',
  'TSC',
  'Test procedures',
  'Attributes',
];

/** A plausible matrix row for reference `ref`, mapped to in-scope criteria of the demo engagement. */
export function matrixRow(
  ref: string,
  overrides: Partial<Record<'description' | 'frequency' | 'criteria' | 'procedures' | 'attributes', string>> = {},
): string[] {
  return [
    ref,
    overrides.description ?? `Control ${ref} operates as designed.`,
    'IT Operations',
    overrides.frequency ?? 'Quarterly',
    'Manual',
    'Detective',
    'Yes',
    'Lower',
    overrides.criteria ?? 'CC6.1, CC6.2',
    overrides.procedures ??
      'Inquiry: Inquired of the owner.\nInspection: Inspected the evidence for the quarters selected.',
    overrides.attributes ?? 'A: The review was performed.\nB: Exceptions were followed up.',
  ];
}

/** Opens a new engagement as the demo manager (with the demo partner) and returns its id. */
export async function openEngagement(
  t: TestApp,
  manager: Client,
  fields: Record<string, string | string[]>,
): Promise<number> {
  const partnerId = (
    t.app.conn.sqlite.prepare("SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'").get() as { id: number }
  ).id;
  await manager.get('/engagements/new');
  const res = await manager.post('/engagements', {
    clientName: 'Payroll Co',
    systemName: 'Payroll processing',
    framework: 'soc1',
    reportType: 'type2',
    periodStart: '2025-04-01',
    periodEnd: '2026-03-31',
    partnerUserId: String(partnerId),
    ...fields,
  });
  if (res.statusCode !== 303) throw new Error(`engagement not created: ${res.statusCode}`);
  return Number(String(res.headers.location).split('/').pop());
}
