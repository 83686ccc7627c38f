// The engagement's holiday calendar, which daily controls on business days leave out of their occurrences.
export { calendarVersion, holidaysOf, type HolidayRow } from './queries.js';
export { saveHolidays } from './service.js';
