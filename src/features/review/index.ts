// Review notes and sign-offs on workpapers, and the facts the approval and the dashboard read from them.
export {
  listNotes,
  messagesOf,
  openNoteCount,
  reviewFacts,
  signoffsOf,
  startedWorkpapers,
  workpapersOfEngagement,
} from './queries.js';
export { clearNote, raiseNote, respondToNote, signOff } from './service.js';
