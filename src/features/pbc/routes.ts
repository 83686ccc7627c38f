import path from 'node:path';
import { rmSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOverdue, PBC_STATUS_LABELS, PBC_STATUSES } from '../../domain/pbc.js';
import { engagementOf } from '../../core/engagement/access.js';
import { canEditRequests } from '../../domain/roles.js';
import type { FieldErrors } from '../../core/http/forms.js';
import { z } from 'zod';
import { type FormReading, formOf, pathIds, queryOf, typed } from '../../core/http/contract.js';
import { checkSpreadsheet } from '../../core/files/spreadsheet-kind.js';
import { firstRows, UnreadableFileError } from '../../core/files/spreadsheet-rows.js';
import { receiveUpload } from '../../core/http/uploads.js';
import { type PbcInput, pbcForm } from './forms.js';
import { requestInPath } from './loaders.js';
import { importRequests, listRequests, saveOne } from './service.js';
import { actOrRerender } from '../../core/http/actions.js';
import { RuleError } from '../../core/errors.js';
import { requestConflict } from './conflict.js';
import type { ConflictView } from '../../core/http/conflict.js';
import { versionOf } from '../../core/http/versions.js';
import { pbcWorkbook, readPbcRows } from './xlsx.js';
import { currentUser } from '../../core/auth/current-user.js';

/** `?status=`: a request status or `overdue`; any other value (a stale bookmark) shows every request. */
const listQuery = z.object({
  status: z
    .enum([...PBC_STATUSES, 'overdue'])
    .optional()
    .catch(undefined),
});
type ListQuery = z.infer<typeof listQuery>;
type ListRequest = FastifyRequest<{ Querystring: ListQuery }>;

const today = () => new Date().toISOString().slice(0, 10);

export async function pbcRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  await app.register(multipart, { limits: { fileSize: app.config.maxUploadBytes, files: 1, fields: 5, parts: 6 } });
  const base = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}`;

  /** `refusal`: the version the refused input was based on, or what someone else stored meanwhile. */
  const render = async (
    req: ListRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    input: Record<string, unknown> = {},
    editing: number | null = null,
    refusal: { version?: number; conflict?: ConflictView } = {},
  ) => {
    const { engagement } = engagementOf(req);
    const { status } = req.query;
    const all = listRequests(db, engagement.id).map((r) => ({ ...r, overdue: isOverdue(r, today()) }));
    const rows =
      status === 'overdue' ? all.filter((r) => r.overdue) : status ? all.filter((r) => r.status === status) : all;
    const editRow = editing ? all.find((r) => r.id === editing) : undefined;
    const version = refusal.version ?? editRow?.version ?? 0;
    return reply.page('pbc/list', {
      title: 'PBC requests',
      rows,
      status: status ?? '',
      statuses: PBC_STATUS_LABELS,
      errors,
      input: editRow && Object.keys(input).length === 0 ? { ...editRow, controls: editRow.controls.join(', ') } : input,
      editing,
      version,
      conflict: refusal.conflict ?? null,
      overdue: all.filter((r) => r.overdue).length,
      canEdit: canEditRequests(engagementOf(req).membership.role),
    });
  };
  const save = async (
    req: FastifyRequest<{ Querystring: ListQuery; Body: FormReading<PbcInput> }>,
    reply: FastifyReply,
    id: number | null,
  ) => {
    const parsed = req.body;
    const basedOn = versionOf(parsed.input);
    if (!parsed.ok) return render(req, reply.code(422), parsed.errors, parsed.input, id, { version: basedOn });
    const value = parsed.value;
    return actOrRerender(req, reply, {
      action: () => saveOne(db, currentUser(req), engagementOf(req).engagement.id, value, id, basedOn),
      done: id ? 'Request saved.' : 'Request added.',
      back: `${base(req)}/pbc`,
      rerender: (errors, input) => render(req, reply, errors, input, id, { version: basedOn }),
      onStale: () => {
        const current = listRequests(db, engagementOf(req).engagement.id).find((r) => r.id === id)!;
        return render(req, reply.code(409), {}, parsed.input, id, {
          version: current.version,
          conflict: requestConflict(db, current),
        });
      },
    });
  };

  // Every page here is the list, filtered by `?status=` (a form posts back to the filter it was opened on).
  const routes = typed(app);
  const list = { querystring: queryOf(listQuery) };
  const ofRequest = { params: pathIds('requestId'), ...list };
  routes.get('/pbc', { schema: list }, async (req, reply) => render(req, reply));
  routes.post('/pbc', { schema: { ...list, body: formOf(pbcForm) } }, async (req, reply) => save(req, reply, null));
  routes.get('/pbc/:requestId/edit', { schema: ofRequest, preHandler: requestInPath.preHandler }, async (req, reply) =>
    render(req, reply, {}, {}, requestInPath.of(req).id),
  );
  const saveOptions = { schema: { ...ofRequest, body: formOf(pbcForm) }, preHandler: requestInPath.preHandler };
  routes.post('/pbc/:requestId', saveOptions, async (req, reply) => save(req, reply, requestInPath.of(req).id));

  app.get('/pbc/export.xlsx', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="pbc-requests-${engagement.id}.xlsx"`)
      .send(await pbcWorkbook(listRequests(db, engagement.id)));
  });

  // A multipart upload: no body schema (fastify does not parse it).
  routes.post('/pbc/import', { schema: list }, async (req, reply) => {
    let file: string | null = null;
    try {
      return await actOrRerender(req, reply, {
        action: async () => {
          const upload = await receiveUpload(req, path.join(app.config.dataDir, 'uploads'), app.config.maxUploadBytes);
          file = upload.file;
          const table = await firstRows(file, await checkSpreadsheet(file), 10_001);
          if (table.length > 10_000) throw new UnreadableFileError('A request list has at most 10,000 rows.');
          const parsed = readPbcRows(table);
          if (!parsed.ok) throw new RuleError(parsed.errors.slice(0, 20).join(' '), { field: 'file' });
          return importRequests(db, currentUser(req), engagementOf(req).engagement.id, parsed.rows);
        },
        done: (n) => `${n} requests imported.`,
        back: `${base(req)}/pbc`,
        field: 'file',
        rerender: (errors) => render(req, reply, errors),
      });
    } finally {
      if (file) rmSync(file, { force: true });
    }
  });
}
