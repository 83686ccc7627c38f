// Forms that edit a shared record carry the version of the record they were based on; a save based on an older
// version is refused, writes nothing, and shows what is stored now beside the user's own input.
import { RuleError } from '../errors.js';

/**
 * Someone saved the record after the form was opened; nothing was written. A RuleError (409) of its own class
 * because a form shows it differently: what is stored now (`current`) beside the user's input.
 */
export class StaleVersionError extends RuleError {
  constructor(readonly current: number) {
    super('The record was changed by someone else after the form was opened.', { status: 409 });
  }
}

/** Inside the writing transaction: the form's version must be the stored one (0: the record did not exist yet). */
export function assertBasedOn(stored: number | undefined, basedOn: number): void {
  if ((stored ?? 0) !== basedOn) throw new StaleVersionError(stored ?? 0);
}

/** The `version` a form posted. One missing or malformed counts as 0, which no stored record has: it is refused. */
export function versionOf(body: unknown): number {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  return typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}
