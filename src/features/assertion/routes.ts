// The engagement's management assertion (SOC) or service organisation's statement (ISAE): who signed it, when,
// and the signed file. Managers and the partner record or replace it; the opinion is not approved without it.
import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { assertionLabel, assertionMissing, assertionNoun } from '../../domain/assertion.js';
import { canRecordAssertion } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { type ReceivedEvidence, sendAsAttachment } from '../evidence/index.js';
import { EVIDENCE_TYPES, SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES, sniffEvidence } from '../../core/files/sniff.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import { isoDate, parseForm, text, type FieldErrors } from '../../core/http/forms.js';
import { actOrRerender } from '../../core/http/actions.js';
import { pathIds, typed } from '../../core/http/contract.js';
import {
  discardUnreadUpload,
  fieldBeforeFile,
  firstFilePart,
  receiveUpload,
  uploadRefused,
} from '../../core/http/uploads.js';
import { versionOf } from '../../core/http/versions.js';
import { assertionHistory, assertionVersion, currentAssertion } from './queries.js';
import { ASSERTION_FILE_DESCRIPTION, ASSERTION_FILE_TYPES, recordAssertion } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';
import { assertionInPath } from './loaders.js';

const assertionForm = z.object({
  signerName: text('Who signed it', 200),
  signerTitle: text('Their title', 200),
  signedOn: isoDate('The date signed'),
});
const FIELDS = ['signerName', 'signerTitle', 'signedOn'] as const;

interface Refusal {
  errors?: FieldErrors;
  input?: Record<string, string>;
  conflict?: ConflictView;
}

/** Streams the file in, sniffs it, and stores it only if it is a kind a signed letter comes in. */
async function receiveSignedFile(
  req: FastifyRequest,
  storage: EvidenceStorage,
  maxBytes: number,
): Promise<ReceivedEvidence> {
  const upload = await receiveUpload(req, storage.incomingDir, maxBytes, {
    head: SNIFF_HEAD_BYTES,
    tail: SNIFF_TAIL_BYTES,
  });
  try {
    const sniffed = sniffEvidence(upload.head, upload.tail, upload.originalName);
    if (!sniffed.ok) throw uploadRefused(sniffed.reason);
    if (!(ASSERTION_FILE_TYPES as readonly string[]).includes(sniffed.type))
      throw uploadRefused(
        `${upload.originalName} is not a signed document (it reads as: ${EVIDENCE_TYPES[sniffed.type].label}). Upload it as ${ASSERTION_FILE_DESCRIPTION}.`,
      );
    const blob = storage.adopt(upload.file, { sha256: upload.sha256, size: upload.bytes });
    return { ...blob, originalName: upload.originalName, fileType: sniffed.type };
  } finally {
    await rm(upload.file, { force: true });
  }
}

export async function assertionRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const storage = EvidenceStorage.under(app.config.dataDir);
  const maxBytes = app.config.maxUploadBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 8, parts: 9, fieldSize: 1024 } });
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/assertion`;

  const conflict = (req: FastifyRequest): ConflictView => {
    const { engagement } = engagementOf(req);
    const now = currentAssertion(db, engagement.id);
    return conflictView(db, {
      engagementId: engagement.id,
      entityId: engagement.id,
      changes: [{ entity: 'management-assertion', actions: ['record', 'replace'] }],
      what: `the ${assertionLabel(engagement.framework).toLowerCase()}`,
      fields: [
        ['Signed by', now ? `${now.signerName}, ${now.signerTitle}` : null],
        ['Date signed', now?.signedOn],
        ['File', now?.originalName],
      ],
    });
  };

  const render = (req: FastifyRequest, reply: FastifyReply, refusal: Refusal = {}) => {
    const { engagement, membership } = engagementOf(req);
    const current = currentAssertion(db, engagement.id);
    return reply.page('assertion/show', {
      title: assertionLabel(engagement.framework),
      label: assertionLabel(engagement.framework),
      noun: assertionNoun(engagement.framework),
      current,
      missing: assertionMissing({ framework: engagement.framework, assertion: current }),
      history: assertionHistory(db, engagement.id),
      version: assertionVersion(db, engagement.id),
      canRecord: canRecordAssertion(membership.role) && !engagement.lockedAt,
      accepted: ASSERTION_FILE_DESCRIPTION,
      maxMb: Math.round(maxBytes / 1024 / 1024),
      errors: refusal.errors ?? {},
      input: refusal.input ?? {},
      conflict: refusal.conflict ?? null,
    });
  };

  app.get('/assertion', async (req, reply) => render(req, reply));

  app.post('/assertion', async (req, reply) => {
    const { engagement } = engagementOf(req);
    if (!req.isMultipart())
      return render(req, reply.code(422), { errors: { file: 'Choose the signed file to upload.' } });
    const part = await firstFilePart(req);
    const input = Object.fromEntries(FIELDS.map((f) => [f, fieldBeforeFile(req, f) ?? ''])) as Record<string, string>;
    const parsed = parseForm(assertionForm, input);
    const refuse = (code: number, refusal: Refusal) => {
      discardUnreadUpload(req);
      return render(req, reply.code(code), { input, ...refusal });
    };
    if (!part)
      return refuse(422, {
        errors: { ...(parsed.ok ? {} : parsed.errors), file: 'Choose the signed file to upload.' },
      });
    if (!parsed.ok) return refuse(422, { errors: parsed.errors });
    const basedOn = versionOf({ version: fieldBeforeFile(req, 'version') });
    if (basedOn !== assertionVersion(db, engagement.id)) return refuse(409, { conflict: conflict(req) });
    const signer = parsed.value;
    return actOrRerender(req, reply, {
      action: async () => {
        const file = await receiveSignedFile(req, storage, maxBytes);
        return recordAssertion(db, currentUser(req), engagement.id, signer, file, basedOn);
      },
      done: (row) =>
        `${assertionLabel(engagement.framework)} recorded: signed by ${row.signerName} on ${row.signedOn} (${row.originalName}).`,
      back: url(req),
      field: 'file',
      rerender: (errors) => refuse(reply.statusCode, { errors }),
      onStale: () => refuse(409, { conflict: conflict(req) }),
    });
  });

  const download = { schema: { params: pathIds('assertionId') }, preHandler: assertionInPath.preHandler };
  typed(app).get('/assertion/:assertionId/download', download, async (req, reply) => {
    const row = assertionInPath.of(req);
    if (!storage.exists(row.sha256)) return reply.callNotFound();
    return sendAsAttachment(reply, storage, row);
  });
}
