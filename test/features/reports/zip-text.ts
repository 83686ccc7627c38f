import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readZip } from '../../../src/features/backup/zip.js';

/** The text of the named entries of a ZIP (a DOCX or XLSX) held in memory. */
export async function zipEntries(content: Buffer, names: readonly string[]): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-zip-'));
  const file = path.join(dir, 'file.zip');
  writeFileSync(file, content);
  const out: Record<string, string> = {};
  try {
    await readZip(file, async (name, open) => {
      if (!names.includes(name)) return;
      const chunks: Buffer[] = [];
      for await (const chunk of await open()) chunks.push(chunk as Buffer);
      out[name] = Buffer.concat(chunks).toString('utf8');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
