import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FILE_SCHEMAS, SCHEMA_FILE_NAMES, stableStringify, type FileKind } from '@herald/dsl';

/** Writes the JSON Schemas, so any schema-aware YAML editor completes Herald files without the extension. */
export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('write the JSON Schemas of herald.yaml, journeys, templates and policies')
    .requiredOption('-o, --out <dir>', 'output folder')
    .action((opts: { out: string }) => {
      mkdirSync(opts.out, { recursive: true });
      for (const kind of Object.keys(FILE_SCHEMAS) as FileKind[]) {
        const file = join(opts.out, SCHEMA_FILE_NAMES[kind]);
        writeFileSync(file, stableStringify(FILE_SCHEMAS[kind], 2) + '\n');
        process.stdout.write(`${file}\n`);
      }
      process.stdout.write(
        '\nFor the YAML extension (redhat.vscode-yaml), add to .vscode/settings.json:\n' +
          JSON.stringify(
            {
              'yaml.schemas': {
                [join(opts.out, SCHEMA_FILE_NAMES.config)]: 'herald.yaml',
                [join(opts.out, SCHEMA_FILE_NAMES.journey)]: '*.journey.yaml',
                [join(opts.out, SCHEMA_FILE_NAMES.template)]: '*.template.yaml',
                [join(opts.out, SCHEMA_FILE_NAMES.policy)]: '*.policy.yaml',
              },
            },
            null,
            2,
          ) +
          '\n',
      );
    });
}
