/**
 * The id a template file would define when it could not be built (its YAML does not parse, or
 * it has no readable `template:`): the value of a top-level `template: <id>` line, else the
 * file's name (`payment-reminder.template.yaml`), the name Herald's hints ask for. Journeys that
 * send that id then hear about the broken file instead of an `unknown-template` that sends the
 * reader looking for a template that is there.
 */
import type { Located } from '../model/ast.js';
import { ID_PATTERN } from '../schema/common-schema.js';

const ID = ID_PATTERN.slice(1, -1);
const TEMPLATE_LINE = new RegExp(`^template:[ \\t]*(["']?)(${ID})\\1[ \\t]*(?:#.*)?\\r?$`, 'm');
const FILE_NAME = new RegExp(`(?:^|/)(${ID})\\.template\\.ya?ml$`);

export function unbuiltTemplateId(path: string, text: string): Located<string> | undefined {
  const line = TEMPLATE_LINE.exec(text);
  if (line) {
    const start = line.index + line[0].indexOf(line[2]!, 'template:'.length);
    return { value: line[2]!, span: { file: path, start, end: start + line[2]!.length } };
  }
  const name = FILE_NAME.exec(path);
  return name ? { value: name[1]!, span: { file: path, start: 0, end: 0 } } : undefined;
}
