import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
const { checkPages, subgraphsOf } = require('../../scripts/docs/browser');

interface Result { name: string; version: string; problems: string[]; diagrams: Array<{ minTextPx?: number }>; screenshot?: string }

const FENCE = '```';
const mermaid = (body: string) => `${FENCE}mermaid\n${body}\n${FENCE}\n`;
/** A small top-to-bottom pod diagram, the shape the generator draws. */
const GOOD = mermaid([
  'flowchart TB',
  '  subgraph pod[" "]',
  '    title["web<br/>Pod Security: restricted"]',
  '    app["app"]',
  '    vol[("data")]',
  '  end',
  '  title ~~~ app',
  '  app -->|writes| vol',
].join('\n'));
/** Fourteen boxes side by side: shrunk to the column, its text falls below 11 px. */
const WIDE = mermaid(['flowchart LR', ...Array.from({ length: 14 }, (_, i) => `  n${i}["box ${i} of a long row"]${i > 0 ? ` --> n${i - 1}` : ''}`)].join('\n'));
const BROKEN = mermaid('flowchart TB\n  a[unclosed --> b');
/** `out` is drawn outside subgraph a; the check is told it belongs in a. */
const OUTSIDE = mermaid(['flowchart TB', '  subgraph a["a"]', '    n["n"]', '  end', '  out["out"]', '  n --> out'].join('\n'));
/** Mermaid 11.4 reads a label that starts "1. " as a Markdown list, which it cannot draw. */
const LIST_LABEL = mermaid('flowchart TB\n  a["1. war"]');
/** Tight rank spacing: Mermaid 11 draws the port over the title of its subgraph. */
const COVERED = mermaid([
  '%%{init: {"flowchart": {"rankSpacing": 30, "nodeSpacing": 30}}}%%',
  'flowchart TB',
  '  subgraph pod[" "]',
  '    title["cache"]',
  '    c["cache"]',
  '    subgraph net["network"]',
  '      p(["0.0.0.0:6379 redis"])',
  '    end',
  '  end',
  '  s{{"Service cache-colocated"}}',
  '  title ~~~ p',
  '  p --- c',
  '  s ~~~ title',
  '  s -->|":6379 redis"| p',
].join('\n'));
const LONG_CODE = `${FENCE}ts\nconst x = '${'x'.repeat(120)}';\n${FENCE}\n`;
const BR_IN_CODE = '| a | b |\n| --- | --- |\n| x | <code>one<br>two</code> |\n';

let results: Result[];
let shots: string;

beforeAll(async () => {
  shots = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-browser-test-'));
  results = await checkPages([
    { name: 'good', markdown: `# Fine\n\nA paragraph.\n\n${GOOD}\n${FENCE}ts\nconst short = 1;\n${FENCE}\n` },
    { name: 'wide', markdown: WIDE },
    { name: 'broken', markdown: BROKEN },
    { name: 'outside', markdown: OUTSIDE, subgraphs: [{ a: [{ id: 'n', subgraph: false }, { id: 'out', subgraph: false }] }] },
    { name: 'list-label', markdown: LIST_LABEL },
    { name: 'covered', markdown: COVERED },
    { name: 'long-code', markdown: LONG_CODE },
    { name: 'br-in-code', markdown: BR_IN_CODE },
  ], { screenshots: shots });
}, 120_000);

afterAll(() => fs.rmSync(shots, { recursive: true, force: true }));

const of = (name: string) => results.filter((r) => r.name === name);

describe('browser docs test harness', () => {
  test('passes a page with a small diagram and short code, with every Mermaid version, and saves screenshots', () => {
    // GIVEN a fine page WHEN it is checked THEN no problem, text at 16 px, one screenshot per version
    const good = of('good');
    expect(good.map((r) => r.version)).toEqual([
      expect.stringMatching(/^mermaid 11 \(11\./),
      'mermaid 11.12 (11.12.3)',
      'mermaid 11.4 (11.4.1)',
      expect.stringMatching(/^mermaid 10\.9 \(10\.9\./),
    ]);
    for (const r of good) {
      expect(r.problems).toEqual([]);
      expect(r.diagrams[0].minTextPx).toBeGreaterThanOrEqual(14);
      expect(fs.existsSync(r.screenshot!)).toBe(true);
    }
  });

  test('fails when a diagram is so wide that its text is shrunk below 11 px', () => {
    for (const r of of('wide')) expect(r.problems).toEqual([expect.stringMatching(/^diagram 1: smallest text \d+(\.\d)? px \(".*"\) is below 11 px: the diagram is \d+ px wide, shrunk to 882 px$/)]);
  });

  test('fails when a diagram does not render', () => {
    for (const r of of('broken')) expect(r.problems).toEqual([expect.stringMatching(/^diagram 1: does not render: /)]);
  });

  test('fails when a node sticks out of the subgraph it belongs to', () => {
    for (const r of of('outside')) expect(r.problems).toEqual([expect.stringMatching(/^diagram 1: node out \(\d+x\d+ at .*\) sticks out of subgraph a \(.*\)$/)]);
  });

  test('fails when Mermaid draws its own complaint instead of a label (11.4 and "1. name")', () => {
    const byVersion = Object.fromEntries(of('list-label').map((r) => [r.version.split(' (')[0], r.problems]));
    expect(byVersion['mermaid 11.4']).toContainEqual('diagram 1: a label renders as "Unsupported markdown: list"');
    expect(byVersion['mermaid 11']).toEqual([]);
  });

  test('fails when a node covers the title of its subgraph', () => {
    const [newest] = of('covered');
    expect(newest.version).toMatch(/^mermaid 11 \(/);
    expect(newest.problems).toContainEqual('diagram 1: the title of subgraph net ("network") is covered by node p');
  });

  test('fails when a code line is wider than the column', () => {
    const [r] = of('long-code');
    expect(r.version).toBe('no diagrams');
    expect(r.problems).toEqual([expect.stringMatching(/^a code line is wider than the column \(\d+ px in 882 px\): 133 characters: /)]);
  });

  test('fails on <br> inside <code>, which GitHub shows as one run-on line', () => {
    expect(of('br-in-code')[0].problems).toEqual(['<br> inside <code> (GitHub drops the line break): "onetwo"']);
  });

  test('reads which nodes and subgraphs each subgraph holds from the Mermaid source', () => {
    expect(subgraphsOf('flowchart TB\n  subgraph pod[" "]\n    a["a"]\n    subgraph net["n"]\n      p(["p"])\n    end\n  end\n  x{{"x"}}\n  a --> x\n')).toEqual({
      pod: [{ id: 'a', subgraph: false }, { id: 'net', subgraph: true }],
      net: [{ id: 'p', subgraph: false }],
    });
  });
});
