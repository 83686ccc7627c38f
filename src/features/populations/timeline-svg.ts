// A server-rendered picture of a selection: items per week or month across the period, selected ones marked.
import { plural } from '../../domain/plural.js';
import { daysInRange, fromEpochDay, toEpochDay } from '../../domain/periods.js';
import type { DateRange } from '../../domain/types.js';

export interface TimelineInput {
  period: DateRange;
  /** Count of population items per calendar date (ISO). */
  itemsPerDate: ReadonlyMap<string, number>;
  selectedDates: readonly string[];
}

const WIDTH = 900;
const HEIGHT = 170;
const PAD = { left: 40, right: 10, top: 12, bottom: 40 };
/** Dots that fit below a bar. */
const MAX_DOTS = 5;

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Weekly buckets for periods up to about 15 months, monthly beyond: enough bars to see gaps, few enough to read. */
export function timelineSvg({ period, itemsPerDate, selectedDates }: TimelineInput): string {
  const days = daysInRange(period);
  const bucketDays = days <= 460 ? 7 : 30;
  const start = toEpochDay(period.start);
  const buckets = Math.ceil(days / bucketDays);
  const counts = new Array<number>(buckets).fill(0);
  const selected = new Array<number>(buckets).fill(0);
  const bucketOf = (date: string) =>
    Math.min(buckets - 1, Math.max(0, Math.floor((toEpochDay(date) - start) / bucketDays)));
  for (const [date, n] of itemsPerDate) counts[bucketOf(date)]! += n;
  for (const date of selectedDates) selected[bucketOf(date)]!++;
  const max = Math.max(1, ...counts);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / buckets;
  const parts: string[] = [];
  counts.forEach((n, i) => {
    const h = (n / max) * plotH;
    const x = PAD.left + i * barW;
    const from = fromEpochDay(start + i * bucketDays);
    parts.push(
      `<rect class="tl-bar" x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeXml(`${bucketDays === 7 ? 'Week of' : 'From'} ${from}: ${plural(n, 'item')}, ${selected[i]} selected`)}</title></rect>`,
    );
    const picks = selected[i]!;
    // A dot per selected item while they fit below the bar; a dot and the count beyond (a sample of thousands).
    for (let k = 0; k < (picks > MAX_DOTS ? 1 : picks); k++) {
      parts.push(
        `<circle class="tl-pick" cx="${(x + barW / 2).toFixed(1)}" cy="${(PAD.top + plotH + 8 + k * 6).toFixed(1)}" r="2.6"/>`,
      );
    }
    if (picks > MAX_DOTS)
      parts.push(
        `<text class="tl-count" x="${(x + barW / 2).toFixed(1)}" y="${(PAD.top + plotH + 20).toFixed(1)}" text-anchor="middle">${picks}</text>`,
      );
  });
  const ticks: string[] = [];
  for (let d = start; d <= start + days - 1; ) {
    const iso = fromEpochDay(d);
    if (iso.endsWith('-01')) {
      const x = PAD.left + ((d - start) / bucketDays) * barW;
      ticks.push(
        `<line class="tl-tick" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${PAD.top}" y2="${PAD.top + plotH}"/><text class="tl-label" x="${(x + 2).toFixed(1)}" y="${HEIGHT - 4}">${iso.slice(0, 7)}</text>`,
      );
    }
    d++;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const label = `Timeline of ${total} population items by ${bucketDays === 7 ? 'week' : 'month'} from ${period.start} to ${period.end}, with ${selectedDates.length} selected items marked as dots below the bars.`;
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(label)}" xmlns="http://www.w3.org/2000/svg"><text class="tl-label" x="0" y="${PAD.top + 8}">${max}</text>${ticks.join('')}${parts.join('')}</svg>`;
}
