import { describe, expect, it } from 'vitest';
import { unbuiltTemplateId } from './unbuilt-template-id.js';

const at = (path: string, text: string) => {
  const id = unbuiltTemplateId(path, text);
  return id && { value: id.value, text: text.slice(id.span.start, id.span.end), file: id.span.file };
};

describe('unbuiltTemplateId', () => {
  it('reads a top-level `template:` line, plain or quoted, wherever the error is', () => {
    expect(at('a/x.template.yaml', 'template: pay-reminder  # the first\nemail:\n\tbad')).toEqual({ value: 'pay-reminder', text: 'pay-reminder', file: 'a/x.template.yaml' });
    expect(at('x.template.yaml', 'description: d\r\ntemplate: "pay"\r\n')).toEqual({ value: 'pay', text: 'pay', file: 'x.template.yaml' });
  });

  it('falls back to the file name, pointing at the start of the file', () => {
    expect(unbuiltTemplateId('t/pay.template.yml', 'template: [pay\n')).toEqual({ value: 'pay', span: { file: 't/pay.template.yml', start: 0, end: 0 } });
    expect(unbuiltTemplateId('pay.template.yaml', 'email:\n  template: other\n')?.value).toBe('pay');
  });

  it('gives up on a name that is no template id', () => {
    expect(unbuiltTemplateId('Pay Reminder.template.yaml', 'template: Pay\n')).toBeUndefined();
  });
});
