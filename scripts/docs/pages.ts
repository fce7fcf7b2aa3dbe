/**
 * What the docs generator knows about the pages: one entry per pattern page. Adding a pattern page
 * is one entry here (and the page itself); see scripts/docs/README.md.
 *
 * Each entry drives three things:
 * - the check that the page opens with its picture: the page's first code block is the pod diagram
 *   of `openingPod`, within the first `OPENING_LINES` lines (what the pattern is for comes first,
 *   then the diagram, then code and YAML);
 * - the README's overview picture: the helper container `overview.helper`, what it does to or for
 *   the app container (`overview.does`), and over what it is joined to the app (`overview.via`);
 * - the overview's table (construct, page, what the helper is).
 */

/** How a pattern's helper meets the app container in the README's overview picture. */
export interface OverviewEntry {
  /** The helper's box label: short (at most 16 characters). */
  readonly helper: string;
  /** The edge's label: what the helper does, from helper to app (or app to helper), short. */
  readonly does: string;
  /** `helper-to-app`: the edge points at the app; `app-to-helper`: the app calls or feeds the helper. */
  readonly direction: 'helper-to-app' | 'app-to-helper';
  /** What joins them inside the pod: a shared volume, localhost, the process namespace. */
  readonly via: 'volume' | 'localhost' | 'processes';
  /** Something outside the pod the helper talks to, if any (box label, short). */
  readonly outside?: string;
  /** The outside party calls the helper (the edge points at the helper), with this label. */
  readonly outsideCalls?: string;
  /** The label of the helper's edge to the outside party, when it does not call the helper. */
  readonly outsideLabel?: string;
  /** The helper is an init container (runs before the app). */
  readonly init?: boolean;
}

/** One pattern page. */
export interface PatternPage {
  /** File under docs/. */
  readonly page: string;
  /** The construct the page is about (an export of lib/index.ts). */
  readonly construct: string;
  /** The pod whose diagram opens the page (a pod of a docs example or of the example app). */
  readonly openingPod: string;
  /** One line for the overview table: what the helper is for. */
  readonly summary: string;
  readonly overview: OverviewEntry;
}

/** How far down a pattern page its first diagram may start (lines of Markdown). */
export const OPENING_LINES = 30;

export const PATTERN_PAGES: readonly PatternPage[] = [
  {
    page: 'shared-volume-pod.md',
    construct: 'SharedVolumePod',
    openingPod: 'site',
    summary: 'a writer container fills a pod-level volume that the app serves',
    overview: { helper: 'writer', does: 'writes', direction: 'helper-to-app', via: 'volume' },
  },
  {
    page: 'war-sidecar-pod.md',
    construct: 'WarSidecarPod',
    openingPod: 'shop',
    summary: 'an init container copies a `.war` out of its image before Tomcat starts',
    overview: { helper: 'artifact (init)', does: 'copies .war', direction: 'helper-to-app', via: 'volume', init: true },
  },
  {
    page: 'log-sidecar.md',
    construct: 'LogSidecar',
    openingPod: 'clock',
    summary: 'sidecars stream the app\'s log files to stdout or ship them with Fluent Bit',
    overview: { helper: 'log sidecar', does: 'log files', direction: 'app-to-helper', via: 'volume', outside: 'log store' },
  },
  {
    page: 'proxy-ambassador.md',
    construct: 'ProxyAmbassador',
    openingPod: 'worker',
    summary: 'the app calls a proxy on localhost (HAProxy, twemproxy) that talks to the upstreams',
    overview: { helper: 'ambassador', does: 'calls localhost', direction: 'app-to-helper', via: 'localhost', outside: 'upstreams' },
  },
  {
    page: 'adapter.md',
    construct: 'Adapter',
    openingPod: 'cache',
    summary: 'an exporter reads the app on localhost and serves Prometheus metrics',
    overview: { helper: 'adapter', does: 'reads', direction: 'helper-to-app', via: 'localhost', outside: 'Prometheus', outsideCalls: 'scrapes' },
  },
  {
    page: 'debug-sidecar.md',
    construct: 'DebugSidecar',
    openingPod: 'echo',
    summary: 'an interactive tools container in the app\'s process namespace',
    overview: { helper: 'debug', does: 'inspects', direction: 'helper-to-app', via: 'processes' },
  },
  {
    page: 'http-adapter.md',
    construct: 'HttpCompatAdapter',
    openingPod: 'orders-api',
    summary: 'nginx + njs in front of the app maps old URLs, headers and JSON bodies to its new API',
    overview: { helper: 'http adapter', does: 'translates', direction: 'helper-to-app', via: 'localhost', outside: 'old clients', outsideLabel: 'serves' },
  },
];
