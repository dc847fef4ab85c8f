/**
 * `herald fmt [dirs...] [--check]`: formats the Herald files of one or more projects in place —
 * herald.yaml, journeys, templates, policies and journey tests — as the editor formats them
 * (the compiler's formatter, dsl/src/format/format-yaml.ts: comments, quoting and block
 * scalars kept, re-indented, flow maps padded and sequences not). `--check` writes nothing: it
 * names the files that would change and exits 1 if any, for CI. A file that is not valid YAML
 * is left as it is and said on stderr (`herald validate` says what is wrong with it).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { classifyFile, formatFile } from '@herald/dsl';
import { openProjects, reportRefused } from '../load-project.js';
import { shownPath } from '../shown-path.js';

interface FmtOptions {
  readonly check?: boolean;
}

export function registerFmtCommand(program: Command): void {
  program
    .command('fmt')
    .description("format the projects' Herald files in place, as the editor does (--check: only list what would change, exit 1 if anything would)")
    .argument('[dirs...]', 'project folders (a folder of projects formats each)', ['.'])
    .option('--check', 'write nothing; list the files that are not formatted and exit 1 if there are any')
    .action((dirs: string[], opts: FmtOptions) => {
      const { projects, refused } = openProjects(dirs);
      let files = 0;
      const changed: string[] = [];
      const leftAlone: string[] = [];
      for (const project of projects) {
        for (const rel of project.paths()) {
          if (classifyFile(rel) === undefined) continue;
          files++;
          const path = join(project.root, rel);
          // As openProjects read it: the file is not read twice.
          const text = project.sourceFile(rel)?.text ?? '';
          const formatted = formatFile(text, { tabSize: 2 });
          if (formatted === undefined) leftAlone.push(shownPath(path));
          else if (formatted !== text) {
            changed.push(shownPath(path));
            if (!opts.check) writeFileSync(path, formatted);
          }
        }
      }
      for (const file of changed) process.stdout.write(`${opts.check ? 'not formatted' : 'formatted'}: ${file}\n`);
      for (const file of leftAlone) process.stderr.write(`herald fmt: left ${file} as it is: it is not valid YAML (herald validate says where)\n`);
      const read = files - leftAlone.length;
      const of = `${read} file${read === 1 ? '' : 's'}`;
      const alone = leftAlone.length === 0 ? '' : ` (${leftAlone.length} not valid YAML, left as ${leftAlone.length === 1 ? 'it is' : 'they are'})`;
      if (opts.check) {
        process.stdout.write(changed.length === 0 ? `All ${of} formatted${alone}.\n` : `${changed.length} of ${of} not formatted${alone}; run herald fmt\n`);
        if (changed.length > 0) process.exitCode = 1;
      } else {
        process.stdout.write(`${changed.length === 0 ? 'Nothing to format' : `Formatted ${changed.length}`} of ${of}${alone}.\n`);
      }
      reportRefused(refused);
    });
}
