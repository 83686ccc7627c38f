import { RuleError } from '../errors.js';

/** A file whose content is not what it claims, or cannot be read; the message is for the user (a 422 page). */
export class UnreadableFileError extends RuleError {
  constructor(message: string) {
    super(message, { status: 422 });
    this.name = 'UnreadableFileError';
  }
}
