// No template prints "1 items", "1 rows" or "Import 0 controls" (#11 item 7): a count shown before a plural noun
// goes through the one pluralising helper (`it.fmt.plural`), and this test fails on any template that does not.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/core/format.js';

const VIEWS = path.resolve(import.meta.dirname, '../../../views');
const NOUNS = [
  'items',
  'rows',
  'controls',
  'entries',
  'checkpoints',
  'attributes',
  'files',
  'criteria',
  'exceptions',
  'deviations',
  'notes',
  'samples',
  'populations',
  'workpapers',
  'users',
];
/** An output tag immediately followed by a plural noun: "<%= n %> items". */
const BARE_COUNT = new RegExp(`<%[=~][^%]*%>[ \\t]+(${NOUNS.join('|')})\\b`);

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(path.join(dir, e.name)) : e.name.endsWith('.eta') ? [path.join(dir, e.name)] : [],
  );
}

describe('counts in templates', () => {
  it('the guard recognises a bare count before a plural noun, and not a pluralised one', () => {
    expect(BARE_COUNT.test('<%= it.items.length %> items')).toBe(true);
    expect(BARE_COUNT.test("<%= it.fmt.plural(it.items.length, 'item') %>")).toBe(false);
    expect(plural(1, 'item')).toBe('1 item');
  });

  it('no template prints a count before a plural noun without the pluralising helper', () => {
    const offenders = templates(VIEWS).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          BARE_COUNT.test(line) ? [`${path.relative(VIEWS, file)}:${i + 1}: ${line.trim().slice(0, 120)}`] : [],
        ),
    );
    expect(offenders).toEqual([]);
  });

  it('the control import never offers to "Import 0 controls"', () => {
    const preview = readFileSync(path.join(VIEWS, 'control-import', 'preview.eta'), 'utf8');
    expect(preview).not.toMatch(/Import <%= [^%]*%> control/);
    expect(preview).toContain('Nothing to import');
  });
});
