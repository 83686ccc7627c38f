// Small, real evidence files for the demo: a one-page PDF, a CSV extract and an e-mail, built in memory.

/** A valid one-page PDF showing the given lines in Helvetica (offsets computed, so every reader opens it). */
export function textPdf(lines: string[]): Buffer {
  const escapePdfText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const text = lines.map((l, i) => `BT /F1 11 Tf 56 ${760 - i * 16} Td (${escapePdfText(l)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export function csvFile(rows: (string | number)[][]): Buffer {
  return Buffer.from(
    `${rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\n')}\n`,
  );
}

export function emailFile(m: { from: string; to: string; date: string; subject: string; body: string }): Buffer {
  return Buffer.from(
    `From: ${m.from}\r\nTo: ${m.to}\r\nDate: ${m.date}\r\nSubject: ${m.subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${m.body.replace(/\n/g, '\r\n')}\r\n`,
  );
}
