import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readHolidayLines, type Holiday, type HolidayReading } from '../../domain/holiday-calendar.js';
import { toEpochDay } from '../../domain/periods.js';
import { canEditHolidays } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import { z } from 'zod';
import { firstFilePart, fieldBeforeFile, uploadLimitRefusal, uploadRefused } from '../../core/http/uploads.js';
import { safeFileName } from '../../core/files/file-names.js';
import { actOrRerender } from '../../core/http/actions.js';
import { formOf, typed } from '../../core/http/contract.js';
import { versionOf } from '../../core/http/versions.js';
import { calendarVersion, holidaysOf, type HolidayRow } from './queries.js';
import { HOLIDAY_FILE_BYTES, readHolidayFile } from './read-file.js';
import { saveHolidays } from './service.js';
import { currentUser } from '../../core/auth/current-user.js';

/** The longest pasted list: a thousand dates with long names. */
const MAX_PASTED_CHARS = 100_000;
/** Problems listed on the page; the rest are counted. */
const SHOWN_PROBLEMS = 50;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface Refusal {
  problems?: string[];
  /** What the user typed, shown back in the text box. */
  text?: string;
  conflict?: ConflictView;
}

/** The pasted list and its version, checked in the handler (a missing or overlong list has its own message). */
const pastedForm = formOf(z.record(z.string(), z.unknown()));

const asText = (list: readonly Holiday[]) => list.map((h) => (h.name ? `${h.date} ${h.name}` : h.date)).join('\n');

function describe(row: HolidayRow, period: { start: string; end: string }) {
  const weekday = WEEKDAYS[(((toEpochDay(row.date) + 3) % 7) + 7) % 7]!;
  const note =
    row.date < period.start || row.date > period.end
      ? 'Outside the reporting period'
      : weekday === 'Saturday' || weekday === 'Sunday'
        ? 'A weekend day: changes nothing'
        : '';
  return { ...row, weekday, note };
}

function holidayConflict(req: FastifyRequest): ConflictView {
  const { engagement } = engagementOf(req);
  return conflictView(req.server.conn.db, {
    engagementId: engagement.id,
    entityId: engagement.id,
    changes: [{ entity: 'holiday-calendar', actions: ['update'] }],
    what: 'the holiday calendar',
    fields: [['Holidays', asText(holidaysOf(req.server.conn.db, engagement.id)) || 'None']],
  });
}

export async function holidayRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  await app.register(multipart, {
    limits: { fileSize: HOLIDAY_FILE_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  });
  const url = (req: FastifyRequest) => `/engagements/${engagementOf(req).engagement.id}/holidays`;

  const render = (req: FastifyRequest, reply: FastifyReply, refusal: Refusal = {}) => {
    const { engagement, membership } = engagementOf(req);
    const period = { start: engagement.periodStart, end: engagement.periodEnd };
    const rows = holidaysOf(db, engagement.id);
    const problems = refusal.problems ?? [];
    return reply.page('holidays/show', {
      title: 'Holiday calendar',
      holidays: rows.map((r) => describe(r, period)),
      text: refusal.text ?? asText(rows),
      version: calendarVersion(db, engagement.id),
      problems: problems.slice(0, SHOWN_PROBLEMS),
      moreProblems: Math.max(0, problems.length - SHOWN_PROBLEMS),
      conflict: refusal.conflict ?? null,
      canEdit: canEditHolidays(membership.role),
      maxKb: HOLIDAY_FILE_BYTES / 1024,
    });
  };

  /** Saves a reading, or shows why not; `text` is what the page gives back to edit. */
  const save = (
    req: FastifyRequest,
    reply: FastifyReply,
    reading: HolidayReading,
    basedOn: number,
    text: string | undefined,
    source: string | null,
  ) => {
    if (reading.problems.length > 0) return render(req, reply.code(422), { problems: reading.problems, text });
    const n = reading.holidays.length;
    return actOrRerender(req, reply, {
      action: () =>
        saveHolidays(db, currentUser(req), engagementOf(req).engagement.id, reading.holidays, basedOn, source),
      done: (changed) =>
        !changed
          ? 'The holiday calendar is unchanged.'
          : `Holiday calendar saved${source ? ` from ${source}` : ''}: ${fmt.number(n)} date${n === 1 ? '' : 's'}. Regenerate the occurrences of daily controls that are still drafts.`,
      back: url(req),
      rerender: (errors) => render(req, reply, { problems: Object.values(errors), text }),
      onStale: () => render(req, reply.code(409), { text, conflict: holidayConflict(req) }),
    });
  };

  const routes = typed(app);
  routes.get('/holidays', async (req, reply) => render(req, reply));

  routes.post('/holidays', { schema: { body: pastedForm } }, async (req, reply) => {
    const body = req.body.input;
    if (typeof body.holidays !== 'string')
      return render(req, reply.code(422), {
        problems: ['Paste the holidays, one date a line (an empty list clears the calendar).'],
      });
    const text = body.holidays;
    if (text.length > MAX_PASTED_CHARS)
      return render(req, reply.code(422), {
        problems: [`The list is longer than ${fmt.number(MAX_PASTED_CHARS)} characters.`],
        text: '',
      });
    return save(req, reply, readHolidayLines(text), versionOf(body), text, null);
  });

  /** The uploaded calendar, read: saved, or its problems listed with the file's name. */
  const saveUpload = (req: FastifyRequest, reply: FastifyReply, upload: Received) => {
    const { kind, reading } = upload.read;
    const problems = reading.problems.map((p) => `${upload.name}, ${p.charAt(0).toLowerCase()}${p.slice(1)}`);
    const basedOn = versionOf({ version: fieldBeforeFile(req, 'version') });
    return save(
      req,
      reply,
      { ...reading, problems },
      basedOn,
      reading.problems.length > 0 ? undefined : asText(reading.holidays),
      `${upload.name} (${kind === 'ics' ? 'iCalendar' : 'CSV'})`,
    );
  };

  // A multipart upload: no body schema (fastify does not parse it); a file refused is said above the list.
  routes.post('/holidays/upload', async (req, reply) =>
    actOrRerender(req, reply, {
      action: () => receiveCalendar(req),
      answer: (upload) => saveUpload(req, reply, upload),
      rerender: (errors) => render(req, reply, { problems: Object.values(errors) }),
    }),
  );
}

type Received = { name: string; read: ReturnType<typeof readHolidayFile> };

/** The one uploaded file, read whole (it is at most HOLIDAY_FILE_BYTES) and sniffed. */
async function receiveCalendar(req: FastifyRequest): Promise<Received> {
  if (!req.isMultipart()) throw uploadRefused('Choose a file to upload.');
  try {
    const part = await firstFilePart(req);
    if (!part?.filename) throw uploadRefused('Choose a file to upload.');
    const bytes = await part.toBuffer();
    return { name: safeFileName(part.filename), read: readHolidayFile(bytes) };
  } catch (err) {
    throw uploadLimitRefusal(
      err,
      `The file is larger than ${HOLIDAY_FILE_BYTES / 1024} KB: a holiday calendar is a few kilobytes. Upload the holidays of the reporting period only.`,
    );
  }
}
