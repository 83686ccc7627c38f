// Holiday calendars exported as iCalendar (RFC 5545, .ics): every all-day event is a holiday, each day of a
// multi-day one included. Lines are named as the file numbers them (a folded line by the line it starts on).
import { CalendarBuilder, daySpan, MAX_EVENT_DAYS, type HolidayReading } from './holiday-calendar.js';
import { fromEpochDay, toEpochDay } from './periods.js';

interface ContentLine {
  line: number;
  name: string;
  params: string;
  value: string;
}

interface EventLines {
  begin: number;
  props: Map<string, ContentLine>;
}

/** Physical lines joined where a line starting with a space or tab continues the one before it. */
function unfold(text: string): { line: number; text: string }[] {
  const logical: { line: number; text: string }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const last = logical.at(-1);
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last) last.text += raw.slice(1);
    else logical.push({ line: i + 1, text: raw });
  });
  return logical.filter((l) => l.text.trim() !== '');
}

/** NAME;PARAM=…:value, the colon being the first one outside a quoted parameter value. */
function parseLine(line: number, text: string): ContentLine | null {
  const name = /^[A-Za-z0-9-]+/.exec(text)?.[0];
  if (!name) return null;
  let quoted = false;
  for (let i = name.length; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted)
      return {
        line,
        name: name.toUpperCase(),
        params: text.slice(name.length, i).toUpperCase(),
        value: text.slice(i + 1),
      };
  }
  return null;
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}

/** A DATE value (20251225) as an epoch day, or why it is not a whole day. */
function dayOf(prop: ContentLine): number | string {
  const value = prop.value.trim();
  if (/^\d{8}T\d{6}Z?$/.test(value))
    return `${prop.name} ${value} is a time of day, not a whole day: a holiday is an all-day event.`;
  if (!/^\d{8}$/.test(value)) return `${prop.name} "${value.slice(0, 40)}" is not a date (YYYYMMDD).`;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`;
  try {
    return toEpochDay(iso);
  } catch {
    return `${prop.name} ${value} is not a day of the calendar.`;
  }
}

/** How many days the event covers: DTEND is the day after its last day; DURATION is in days or weeks. */
function lengthOf(start: number, props: Map<string, ContentLine>): number | { line: number; message: string } {
  const end = props.get('DTEND');
  if (end) {
    const day = dayOf(end);
    if (typeof day === 'string') return { line: end.line, message: day };
    return day > start ? day - start : { line: end.line, message: 'DTEND is not after DTSTART.' };
  }
  const duration = props.get('DURATION');
  if (!duration) return 1;
  const match = /^P(\d{1,4})([DW])$/.exec(duration.value.trim());
  if (!match)
    return {
      line: duration.line,
      message: `DURATION ${duration.value.trim().slice(0, 40)} is not a whole number of days.`,
    };
  return Number(match[1]) * (match[2] === 'W' ? 7 : 1);
}

function addEvent(event: EventLines, builder: CalendarBuilder): void {
  const { props } = event;
  if (props.get('STATUS')?.value.trim().toUpperCase() === 'CANCELLED') return;
  const repeat = props.get('RRULE') ?? props.get('RDATE');
  if (repeat)
    return builder.problem(
      repeat.line,
      `the event repeats (${repeat.name}): export the calendar with each holiday as its own event, or paste the dates.`,
    );
  const start = props.get('DTSTART');
  if (!start) return builder.problem(event.begin, 'the event has no DTSTART.');
  const first = dayOf(start);
  if (typeof first === 'string') return builder.problem(start.line, first);
  const days = lengthOf(first, props);
  if (typeof days !== 'number') return builder.problem(days.line, days.message);
  if (days > MAX_EVENT_DAYS)
    return builder.problem(start.line, `the event lasts ${days} days; a holiday lasts at most ${MAX_EVENT_DAYS}.`);
  const name = unescapeText(props.get('SUMMARY')?.value ?? '');
  for (const date of daySpan(fromEpochDay(first), days)) builder.add(start.line, date, name);
}

/** The all-day events of an iCalendar file as holidays; anything else in the file (time zones, alarms) is passed over. */
export function readIcsHolidays(text: string): HolidayReading {
  const builder = new CalendarBuilder();
  const lines = unfold(text.replace(/^\uFEFF/, ''));
  if (!/^BEGIN:VCALENDAR$/i.test(lines[0]?.text.trim() ?? '')) {
    return { holidays: [], problems: [`Line ${lines[0]?.line ?? 1}: an iCalendar file begins with BEGIN:VCALENDAR.`] };
  }
  const open: { name: string; line: number }[] = [];
  let event: EventLines | null = null;
  let events = 0;
  for (const { line, text: raw } of lines) {
    const prop = parseLine(line, raw.trimEnd());
    if (!prop) {
      builder.problem(line, 'not an iCalendar line (NAME:value).');
      continue;
    }
    const component = prop.value.trim().toUpperCase();
    if (prop.name === 'BEGIN') {
      open.push({ name: component, line });
      if (component === 'VEVENT' && open.length === 2) event = { begin: line, props: new Map() };
    } else if (prop.name === 'END') {
      const top = open.pop();
      if (top?.name !== component) {
        builder.problem(
          line,
          top
            ? `END:${component} does not close BEGIN:${top.name} of line ${top.line}.`
            : `END:${component} closes nothing.`,
        );
        break;
      }
      if (component === 'VEVENT' && event && open.length === 1) {
        addEvent(event, builder);
        events++;
        event = null;
      }
    } else if (event && open.length === 2 && !event.props.has(prop.name)) {
      event.props.set(prop.name, prop);
    }
  }
  const unclosed = open[0];
  if (unclosed) builder.problem(unclosed.line, `BEGIN:${unclosed.name} is never closed: the file is incomplete.`);
  if (events === 0 && builder.problems.length === 0) builder.problems.push('The calendar holds no events.');
  return builder.result();
}
