/**
 * Stage 2: is each file's tree the shape its kind requires? Steps are discriminated by
 * their kind key before ajv sees them, so a misspelt or doubled kind gives one clear
 * error instead of one per step kind.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Problem } from '../diagnostics/report.js';
import type { FileKind } from '../model/ast.js';
import { toJson, type YMap, type YNode } from '../parse/yaml-tree.js';
import { validatorFor } from './ajv-instance.js';
import { STEP_KIND_KEYS } from './journey-schema.js';
import { mapSchemaErrors } from './map-schema-errors.js';
import { FILE_SCHEMAS } from './schemas.js';

export function validateShape(kind: FileKind, root: YNode): Problem[] {
  const problems: Problem[] = [];
  const skip = new Set<string>();
  if (kind === 'journey') problems.push(...checkStepKinds(root, skip));
  const validate = validatorFor(FILE_SCHEMAS[kind]);
  if (!validate(toJson(root))) {
    const errors = (validate.errors ?? []).filter((e) => ![...skip].some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/')));
    problems.push(...mapSchemaErrors(errors, root));
  }
  return problems;
}

function checkStepKinds(root: YNode, skip: Set<string>): Problem[] {
  if (root.kind !== 'map') return [];
  const steps = root.entries.find((e) => e.key === 'steps')?.value;
  if (steps?.kind !== 'seq') return [];
  const problems: Problem[] = [];
  steps.items.forEach((step, i) => {
    if (step.kind !== 'map') return;
    const kinds = step.entries.filter((e) => STEP_KIND_KEYS.includes(e.key));
    if (kinds.length === 1) return;
    skip.add(`/steps/${i}`);
    if (kinds.length > 1) {
      problems.push({
        code: 'multiple-step-kinds',
        message: `a step has one kind; this one has ${kinds.map((k) => `\`${k.key}\``).join(' and ')}`,
        span: kinds[1]!.keySpan,
        hint: 'split it into two steps',
        related: [{ span: kinds[0]!.keySpan, message: `\`${kinds[0]!.key}\` is here` }],
      });
      return;
    }
    problems.push(unknownKind(step));
  });
  return problems;
}

function unknownKind(step: YMap): Problem {
  const others = step.entries.filter((e) => e.key !== 'id' && e.key !== 'description');
  for (const e of others) {
    const s = didYouMean(e.key, STEP_KIND_KEYS);
    if (s) {
      return {
        code: 'unknown-step-kind',
        message: `unknown step kind \`${e.key}\``,
        span: e.keySpan,
        hint: `did you mean \`${s}\`?`,
        fix: { title: `Change to \`${s}\``, span: e.keySpan, newText: s },
      };
    }
  }
  return {
    code: 'unknown-step-kind',
    message: others[0] ? `unknown step kind \`${others[0].key}\`` : 'this step has no kind',
    span: others[0]?.keySpan ?? step.span,
    hint: `a step has exactly one of ${STEP_KIND_KEYS.map((k) => `\`${k}\``).join(', ')}`,
  };
}
