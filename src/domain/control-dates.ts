// When a control is tested: from its implementation (or the period start) to the period end, split in two when
// the control changed during the period.
import { splitAtDate } from './periods.js';
import type { DateRange, IsoDate } from './types.js';

export interface ControlDates {
  implementedFrom: IsoDate;
  changedOn: IsoDate | null;
}

export type ControlDateProblems = Partial<Record<keyof ControlDates, string>>;

export function controlDateProblems(period: DateRange, dates: ControlDates): ControlDateProblems {
  const problems: ControlDateProblems = {};
  if (dates.implementedFrom > period.end) {
    problems.implementedFrom = 'A control implemented after the period ends is not tested in this report.';
  }
  if (dates.changedOn) {
    const from = dates.implementedFrom > period.start ? dates.implementedFrom : period.start;
    if (dates.changedOn <= from || dates.changedOn > period.end) {
      problems.changedOn = 'The change date falls inside the reporting period, after the control was implemented.';
    }
  }
  return problems;
}

/** The windows the control is tested in: one, or two either side of a change (the change date opens the second). */
export function testingWindows(period: DateRange, dates: ControlDates): DateRange[] {
  const start = dates.implementedFrom > period.start ? dates.implementedFrom : period.start;
  const range = { start, end: period.end };
  if (!dates.changedOn || Object.keys(controlDateProblems(period, dates)).length > 0) return [range];
  return splitAtDate(range, dates.changedOn);
}
