/** A file whose content is not what it claims, or cannot be read; the message is for the user. */
export class UnreadableFileError extends Error {}
