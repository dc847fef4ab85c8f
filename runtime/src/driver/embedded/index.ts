export { createEmbeddedDriver, type EmbeddedDriverOptions } from './embedded-driver.js';
export { DUPLICATE_EVENT_CONFLICT } from './apply-unit.js';
export { mergeSubject, type SubjectPatch } from './merge-subject.js';
export { SCHEMA_VERSION } from './migrate-schema.js';
