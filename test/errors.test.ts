import * as fs from 'fs';
import * as path from 'path';
import { ERROR_ROWS } from './error-table';
import { errorOf } from './util/synth';

const DOC = path.join(__dirname, '..', 'docs', 'errors.md');

function renderDoc(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  // one code span per line, joined by <br> outside them (GitHub drops a <br> inside <code>); a
  // <wbr> every 40 characters of a word too long for the column
  const code = (s: string) => s.split('\n')
    .map((line) => `<code>${line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/ {2}/g, '&nbsp;&nbsp;').replace(/(\S{40})(?=\S)/g, '$1<wbr>')}</code>`)
    .join('<br>');
  const lines = [
    '# Errors for bad input',
    '',
    'Every row is a test (`test/errors.test.ts` runs it and regenerates this page from',
    '`test/error-table.ts`: `UPDATE_DOCS=1 npx jest test/errors.test.ts`). Constructs check their props',
    'when they are built and report every bad prop of the construct at once; pod-wide checks, the strict',
    'schema and Pod Security run before anything is written and report every problem of the app at once.',
    'Each message names the construct path, the prop, the value received and what would be valid.',
    '',
    '| Where | Bad input | Error |',
    '| --- | --- | --- |',
    ...ERROR_ROWS.map((r) => `| ${cell(r.where)} | ${cell(r.input)} | ${code(r.message)} |`),
    '',
  ];
  return lines.join('\n');
}

describe('the documented error table', () => {
  test.each(ERROR_ROWS.map((r) => [`${r.where}: ${r.input}`, r] as const))('fails when %s', (_name, row) => {
    expect(errorOf(row.run)).toBe(row.message);
  });

  test('docs/errors.md lists exactly these rows', () => {
    const doc = renderDoc();
    if (process.env.UPDATE_DOCS) fs.writeFileSync(DOC, doc);
    expect(fs.readFileSync(DOC, 'utf-8')).toBe(doc);
  });
});
