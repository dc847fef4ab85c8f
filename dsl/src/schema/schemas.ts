import type { FileKind } from '../model/ast.js';
import type { JsonSchema } from './common-schema.js';
import { configSchema } from './config-schema.js';
import { journeySchema } from './journey-schema.js';
import { policySchema } from './policy-schema.js';
import { templateSchema } from './template-schema.js';

/** The published schema of each file kind (`herald schema --out dir` writes these). */
export const FILE_SCHEMAS: Record<FileKind, JsonSchema> = {
  config: configSchema,
  journey: journeySchema,
  template: templateSchema,
  policy: policySchema,
};

export const SCHEMA_FILE_NAMES: Record<FileKind, string> = {
  config: 'herald.schema.json',
  journey: 'journey.schema.json',
  template: 'template.schema.json',
  policy: 'policy.schema.json',
};
