import { RuleError } from '../errors.js';

/**
 * A file whose content is not what it claims, or cannot be read; the message is for the user, beside the file
 * field. Its own class because the readers rethrow their own refusals and wrap every other failure of a parser.
 */
export class UnreadableFileError extends RuleError {
  constructor(message: string) {
    super(message, { field: 'file', status: 422 });
    this.name = 'UnreadableFileError';
  }
}
