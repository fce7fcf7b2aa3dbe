#!/usr/bin/env node
// `npm run docs:browser`: renders every Markdown page (README.md, docs/*.md, docs/api/**) as GitHub
// shows it, in headless Chromium, and fails on what a reader would see broken:
//
// - GitHub-flavoured Markdown (marked, GFM) styled with github-markdown-css, in a column 946 px
//   wide (GitHub's content width for a README or a file);
// - every ```mermaid block rendered with each pinned Mermaid version (MERMAID_VERSIONS: the newest
//   11.x, 11.12, 11.4 and 10.9), as GitHub does: the SVG at its natural width, shrunk to the column if wider.
//
// It fails when a diagram does not render, when its smallest text is below MIN_TEXT_PX on screen
// (a wide diagram shrunk to fit), when a node or a subgraph sticks out of the subgraph it belongs
// to, when a label is clipped or wraps beyond the lines it was given, when a code block's line is
// wider than the column (it would scroll sideways), when a table scrolls sideways, and when `<br>` sits inside `<code>` (GitHub
// drops the line break). Screenshots of every page and Mermaid version go to SCREENSHOTS
// (.scratch/docs-browser/, gitignored; CI keeps them as artifacts). It prints each page's height in
// screens and each diagram's smallest text size.
//
// Chromium: /usr/bin/chromium (Debian's `chromium`), or $CHROMIUM. Offline.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
/**
 * GitHub's Markdown box, in CSS pixels: 946 px wide with 32 px of padding each side, so text,
 * tables and diagrams get 882 px, and a code block's lines 850 px (about 104 characters of 13.6 px
 * monospace).
 */
const COLUMN_PX = 946;
const PADDING_PX = 32;
/** The viewport height one "screen" is, for page lengths. */
const SCREEN_PX = 900;
/** The smallest text size a diagram may render at. */
const MIN_TEXT_PX = 11;
const SCREENSHOTS = path.join(root, '.scratch', 'docs-browser');
/**
 * The newest 11.x, both ends of the range where subgraph titles wrap and are clipped (11.4 to
 * 11.12), and 10.9; each pinned in package.json (npm aliases).
 */
const MERMAID_VERSIONS = [
  { name: 'mermaid 11', pkg: 'mermaid' },
  { name: 'mermaid 11.12', pkg: 'mermaid11.12' },
  { name: 'mermaid 11.4', pkg: 'mermaid11.4' },
  { name: 'mermaid 10.9', pkg: 'mermaid10' },
];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function mermaidScript(pkg) {
  const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  return { file: path.join(dir, 'dist', 'mermaid.min.js'), version };
}

/** The pages to check: README.md, docs/*.md, docs/api/**.md (relative to the repository). */
function pages() {
  const out = ['README.md'];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) {
        if (r !== 'docs/examples') walk(r);
      } else if (e.name.endsWith('.md')) out.push(r);
    }
  };
  walk('docs');
  return out;
}

/**
 * marked: its package entry point is ES modules only. Node 20.19+ requires it as it is; jest cannot,
 * and gets the package's UMD build instead.
 */
function loadMarked() {
  try {
    return require('marked');
  } catch {
    return require(path.join(path.dirname(require.resolve('marked/package.json', { paths: [root] })), 'lib', 'marked.umd.js'));
  }
}

/** GitHub-flavoured HTML of a Markdown text, in a page styled like GitHub's file view. */
function pageHtml(markdown) {
  const { marked } = loadMarked();
  const body = marked.parse(markdown, { gfm: true, async: false });
  const css = fs.readFileSync(require.resolve('github-markdown-css/github-markdown-light.css', { paths: [root] }), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
    body { margin: 0; background: #fff; }
    .markdown-body { box-sizing: border-box; width: ${COLUMN_PX}px; padding: ${PADDING_PX}px; margin: 0; }
    .mermaid-host { margin: 0 0 16px; }
    .mermaid-host svg { display: block; }
  </style></head><body><article class="markdown-body">${body}</article></body></html>`;
}

/**
 * Subgraph membership from Mermaid flowchart source: for each subgraph id, the node ids and
 * subgraph ids defined directly inside it.
 */
function subgraphsOf(source) {
  const members = {};
  const stack = [];
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    const sub = /^subgraph\s+([\w-]+)/.exec(line);
    if (sub) {
      if (stack.length > 0) members[stack[stack.length - 1]].push({ id: sub[1], subgraph: true });
      members[sub[1]] = [];
      stack.push(sub[1]);
      continue;
    }
    if (line === 'end') {
      stack.pop();
      continue;
    }
    const node = /^([\w-]+)\s*(\[|\(|\{|>)/.exec(line);
    if (node && stack.length > 0) members[stack[stack.length - 1]].push({ id: node[1], subgraph: false });
  }
  return members;
}

/**
 * Runs in the page: renders every mermaid block with window.mermaid, replaces it with the SVG and
 * measures. Returns { diagrams: [{ index, error?, minTextPx, problems }], codeProblems, height }.
 */
async function inPage({ minTextPx, subgraphs }) {
  /* global document, window, getComputedStyle */
  const out = { diagrams: [], problems: [] };
  const article = document.querySelector('article');
  // collapsed sections are opened for the checks, and closed again for the page's height
  const details = [...article.querySelectorAll('details:not([open])')];
  for (const d of details) d.open = true;
  const blocks = [...article.querySelectorAll('pre > code.language-mermaid')];
  const inside = (a, b, tol = 1) => a.left >= b.left - tol && a.right <= b.right + tol && a.top >= b.top - tol && a.bottom <= b.bottom + tol;
  const fmt = (r) => `${Math.round(r.width)}x${Math.round(r.height)} at ${Math.round(r.left)},${Math.round(r.top)}`;
  if (blocks.length > 0) window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  for (let i = 0; i < blocks.length; i++) {
    const code = blocks[i];
    const source = code.textContent;
    const pre = code.parentElement;
    const host = document.createElement('div');
    host.className = 'mermaid-host';
    host.id = `diagram-host-${i + 1}`;
    // GitHub draws a diagram in an iframe of its own: nothing of the page's styles reaches it
    host.style.cssText = 'all: initial; display: block; margin: 0 0 16px;';
    pre.replaceWith(host);
    const d = { index: i + 1, problems: [] };
    out.diagrams.push(d);
    try {
      const { svg } = await window.mermaid.render(`diagram-${i + 1}`, source);
      host.innerHTML = svg;
    } catch (e) {
      d.error = String(e && e.message ? e.message : e).split('\n')[0];
      d.problems.push(`does not render: ${d.error}`);
      continue;
    }
    const svg = host.querySelector('svg');
    if (!svg || /Syntax error|Parse error/i.test(svg.textContent)) {
      d.problems.push('does not render: Mermaid drew its error picture');
      continue;
    }
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const scale = vb && vb.width > 0 ? box.width / vb.width : 1;
    d.scale = scale;
    d.widthPx = Math.round(box.width);
    // smallest text on screen
    let min = Infinity;
    let minText = '';
    for (const el of svg.querySelectorAll('text, tspan, foreignObject div, foreignObject span, foreignObject p')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (!own) continue;
      const px = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (px < min) {
        min = px;
        minText = own;
      }
    }
    d.minTextPx = Number.isFinite(min) ? Math.round(min * 10) / 10 : undefined;
    if (min < minTextPx) d.problems.push(`smallest text ${d.minTextPx} px ("${minText.slice(0, 40)}") is below ${minTextPx} px: the diagram is ${Math.round(vb.width)} px wide, shrunk to ${Math.round(box.width)} px`);
    // Mermaid's own complaints drawn as labels (11.4 reads "1. name" as a Markdown list)
    for (const m of svg.textContent.matchAll(/Unsupported markdown: \w+/g)) d.problems.push(`a label renders as "${m[0]}"`);
    // labels: clipped, or wrapped beyond their explicit lines
    for (const fo of svg.querySelectorAll('foreignObject')) {
      const inner = fo.firstElementChild;
      if (!inner || !inner.textContent.trim()) continue;
      const foBox = fo.getBoundingClientRect();
      const r = inner.getBoundingClientRect();
      const label = inner.textContent.trim().slice(0, 40);
      if (r.width > foBox.width + 2 || r.height > foBox.height + 2) d.problems.push(`label "${label}" is clipped: ${fmt(r)} in a box of ${fmt(foBox)}`);
      const textEl = inner.querySelector('span, p') || inner;
      const walker = document.createTreeWalker(textEl, 4);
      const lineTops = [];
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(t);
        for (const c of range.getClientRects()) {
          if (c.width > 0 && !lineTops.some((y) => Math.abs(y - c.top) < c.height / 2)) lineTops.push(c.top);
        }
      }
      const tops = { size: lineTops.length };
      const given = textEl.querySelectorAll('br').length + 1;
      if (tops.size > given) d.problems.push(`label "${label}" wraps onto ${tops.size} lines (given ${given})`);
    }
    // nodes and subgraphs inside their subgraph
    const byId = (sel, id) => [...svg.querySelectorAll(sel)].find((g) => {
      const gid = g.id || '';
      return gid === id || gid.endsWith(`-${id}`) || new RegExp(`(^|-)flowchart-${id.replace(/[-]/g, '\\-')}-\\d+$`).test(gid);
    });
    const clusterRect = (id) => {
      const g = byId('g.cluster', id);
      const rect = g && g.querySelector(':scope > rect');
      return rect ? rect.getBoundingClientRect() : undefined;
    };
    for (const [sub, members] of Object.entries(subgraphs[i] || {})) {
      const outer = clusterRect(sub);
      if (!outer) {
        d.problems.push(`subgraph ${sub} is not drawn`);
        continue;
      }
      const cl = byId('g.cluster', sub);
      const lab = cl && cl.querySelector('.cluster-label, .cluster-label foreignObject');
      if (lab && lab.textContent.trim()) {
        const lr = lab.getBoundingClientRect();
        if (!inside(lr, outer)) d.problems.push(`the title of subgraph ${sub} ("${lab.textContent.trim().slice(0, 40)}", ${fmt(lr)}) sticks out of its box (${fmt(outer)})`);
        // and no box covers it
        for (const g of svg.querySelectorAll('g.node')) {
          const nr = g.getBoundingClientRect();
          const overlap = Math.min(nr.right, lr.right) - Math.max(nr.left, lr.left) > 1 && Math.min(nr.bottom, lr.bottom) - Math.max(nr.top, lr.top) > 1;
          if (overlap) d.problems.push(`the title of subgraph ${sub} ("${lab.textContent.trim().slice(0, 40)}") is covered by node ${(g.id.match(/flowchart-(.+)-\d+$/) || [g.id, g.id])[1]}`);
        }
      }
      for (const m of members) {
        const r = m.subgraph ? clusterRect(m.id) : (() => {
          const g = byId('g.node', m.id);
          return g ? g.getBoundingClientRect() : undefined;
        })();
        if (!r) {
          d.problems.push(`${m.subgraph ? 'subgraph' : 'node'} ${m.id} is not drawn`);
          continue;
        }
        if (!inside(r, outer)) d.problems.push(`${m.subgraph ? 'subgraph' : 'node'} ${m.id} (${fmt(r)}) sticks out of subgraph ${sub} (${fmt(outer)})`);
      }
    }
  }
  // code lines wider than the column
  for (const pre of article.querySelectorAll('pre')) {
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const longest = pre.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      out.problems.push(`a code line is wider than the column (${pre.scrollWidth} px in ${pre.clientWidth} px): ${longest.length} characters: "${longest.slice(0, 60)}..."`);
    }
  }
  // tables that scroll sideways
  for (const t of article.querySelectorAll('table')) {
    if (t.scrollWidth > t.clientWidth + 1) {
      const head = [...t.querySelectorAll('th')].map((th) => th.textContent.trim()).join(' | ');
      out.problems.push(`a table is wider than the column (${t.scrollWidth} px in ${t.clientWidth} px), it scrolls sideways: "${head.slice(0, 60)}"`);
    }
  }
  for (const c of article.querySelectorAll('code')) {
    if (c.querySelector('br')) out.problems.push(`<br> inside <code> (GitHub drops the line break): "${c.textContent.slice(0, 60)}"`);
  }
  for (const d of details) d.open = false;
  out.height = article.getBoundingClientRect().height;
  return out;
}

/**
 * Checks Markdown texts in Chromium. `items`: [{ name, markdown }]. Returns per item and Mermaid
 * version: { name, version, problems, diagrams, screens }.
 */
async function checkPages(items, { versions = MERMAID_VERSIONS, screenshots = SCREENSHOTS, log = () => {} } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`docs:browser: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM)`);
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
  const results = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: COLUMN_PX, height: SCREEN_PX });
    for (const version of versions) {
      const script = mermaidScript(version.pkg);
      for (const item of items) {
        const hasDiagrams = /^```mermaid\s*$/m.test(item.markdown);
        // pages without diagrams do not depend on the Mermaid version: checked once
        if (!hasDiagrams && version !== versions[0]) continue;
        // which boxes each subgraph holds (item.subgraphs: given instead, for the harness's own tests)
        const subgraphs = item.subgraphs || [...item.markdown.matchAll(/^```mermaid\s*\n([\s\S]*?)^```\s*$/gm)].map((m) => subgraphsOf(m[1]));
        await page.setContent(pageHtml(item.markdown), { waitUntil: 'load' });
        if (hasDiagrams) await page.addScriptTag({ path: script.file });
        const r = await page.evaluate(inPage, { minTextPx: MIN_TEXT_PX, subgraphs });
        const res = {
          name: item.name,
          version: hasDiagrams ? `${version.name} (${script.version})` : 'no diagrams',
          problems: [...r.problems, ...r.diagrams.flatMap((d) => d.problems.map((p) => `diagram ${d.index}: ${p}`))],
          diagrams: r.diagrams,
          screens: Math.round((r.height / SCREEN_PX) * 10) / 10,
        };
        results.push(res);
        if (screenshots && item.screenshot !== false) {
          const file = path.join(screenshots, hasDiagrams ? version.pkg : 'pages', `${item.name.replace(/[/\\]/g, '__')}.png`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await page.screenshot({ path: file, fullPage: true });
          res.screenshot = file;
          for (const d of r.diagrams) {
            const el = await page.$(`#diagram-host-${d.index}`);
            const size = el && await el.boundingBox();
            if (size && size.height > 0) await el.screenshot({ path: file.replace(/\.png$/, `--diagram-${d.index}.png`) });
          }
        }
        log(res);
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}

async function main() {
  const items = pages().map((name) => ({ name, markdown: fs.readFileSync(path.join(root, name), 'utf8'), screenshot: !name.startsWith('docs/api/') }));
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  let failed = 0;
  const results = await checkPages(items, {
    log: (r) => {
      if (r.name.startsWith('docs/api/') && r.problems.length === 0) return;
      const sizes = r.diagrams.length > 0 ? `; smallest text per diagram: ${r.diagrams.map((d) => (d.minTextPx === undefined ? 'n/a' : `${d.minTextPx} px`)).join(', ')}` : '';
      process.stdout.write(`${r.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.name} [${r.version}] ${r.screens} screens${sizes}\n`);
      for (const p of r.problems) process.stdout.write(`       ${p}\n`);
    },
  });
  for (const r of results) if (r.problems.length > 0) failed++;
  const api = results.filter((r) => r.name.startsWith('docs/api/'));
  process.stdout.write(`docs:browser: ${results.length} renders (${api.length} API reference pages), ${failed} with problems; screenshots in ${path.relative(root, SCREENSHOTS)}/\n`);
  return failed === 0 ? 0 : 1;
}

module.exports = { checkPages, subgraphsOf, pageHtml, COLUMN_PX, MIN_TEXT_PX, MERMAID_VERSIONS, CHROMIUM };

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exitCode = 1;
  });
}
