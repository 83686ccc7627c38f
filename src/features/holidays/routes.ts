import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readHolidayLines, type Holiday, type HolidayReading } from '../../domain/holiday-calendar.js';
import { toEpochDay } from '../../domain/periods.js';
import { canEditHolidays } from '../../domain/roles.js';
import { engagementOf } from '../../core/engagement/access.js';
import { conflictView, type ConflictView } from '../../core/http/conflict.js';
import * as fmt from '../../core/format.js';
import { UnreadableFileError } from '../../core/files/unreadable-file.js';
import { firstFilePart, fieldBeforeFile } from '../../core/http/uploads.js';
import { safeFileName } from '../../core/files/file-names.js';
import { StaleVersionError, versionOf } from '../../core/http/versions.js';
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
    let changed: boolean;
    try {
      changed = saveHolidays(db, currentUser(req), engagementOf(req).engagement.id, reading.holidays, basedOn, source);
    } catch (err) {
      if (err instanceof StaleVersionError)
        return render(req, reply.code(409), { text, conflict: holidayConflict(req) });
      throw err;
    }
    const n = reading.holidays.length;
    req.session.flash = !changed
      ? 'The holiday calendar is unchanged.'
      : `Holiday calendar saved${source ? ` from ${source}` : ''}: ${fmt.number(n)} date${n === 1 ? '' : 's'}. Regenerate the occurrences of daily controls that are still drafts.`;
    return reply.redirect(url(req), 303);
  };

  app.get('/holidays', async (req, reply) => render(req, reply));

  app.post('/holidays', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
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

  app.post('/holidays/upload', async (req, reply) => {
    const upload = await receiveCalendar(req);
    if ('error' in upload) return render(req, reply.code(upload.status), { problems: [upload.error] });
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
  });
}

type Received = { name: string; read: ReturnType<typeof readHolidayFile> } | { error: string; status: number };

/** The one uploaded file, read whole (it is at most HOLIDAY_FILE_BYTES) and sniffed. */
async function receiveCalendar(req: FastifyRequest): Promise<Received> {
  if (!req.isMultipart()) return { error: 'Choose a file to upload.', status: 422 };
  try {
    const part = await firstFilePart(req);
    if (!part?.filename) return { error: 'Choose a file to upload.', status: 422 };
    const bytes = await part.toBuffer();
    return { name: safeFileName(part.filename), read: readHolidayFile(bytes) };
  } catch (err) {
    if (err instanceof UnreadableFileError) return { error: err.message, status: 422 };
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      return {
        error: `The file is larger than ${HOLIDAY_FILE_BYTES / 1024} KB: a holiday calendar is a few kilobytes. Upload the holidays of the reporting period only.`,
        status: 413,
      };
    if (code?.startsWith('FST_') && code.endsWith('_LIMIT'))
      return { error: 'Upload one file at a time.', status: 413 };
    throw err;
  }
}
