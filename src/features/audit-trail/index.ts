// The trail's signed checkpoints: what the app anchors at start-up and hourly, and what archives carry.
export { anchoringFrom, checkpointFileFor, readCheckpoints, TrailAnchor } from './checkpoints.js';
