import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Client } from './app.js';

export interface UploadFile {
  name: string;
  content: Buffer | string;
  type?: string;
  field?: string;
}

/** A multipart/form-data body as a browser sends it: fields first, then the file. */
export function multipartBody(fields: Record<string, string>, file: UploadFile): { body: Buffer; contentType: string } {
  const boundary = `----tickmark${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
  );
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads through the client's session, with the CSRF token as the form's first field, as the forms send it. */
export async function upload(
  app: FastifyInstance,
  client: Client,
  url: string,
  fields: Record<string, string>,
  file: UploadFile,
): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipartBody({ _csrf: client.csrf, ...fields }, file);
  return app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { cookie: client.cookie, 'content-type': contentType },
  });
}
