/**
 * Pod diagrams from synthesized manifests, as Mermaid flowcharts (GitHub renders them in Markdown).
 *
 * `describePod` reads one rendered pod-bearing object (Pod, Deployment, StatefulSet, DaemonSet,
 * Job, CronJob) and the other objects of the app (ConfigMaps, Services) into a small model: the
 * init containers in order (native sidecars marked), the containers, the volumes with who mounts
 * them read-write (writes) and read-only (reads), the ports on the pod's shared network namespace
 * (declared containerPorts, and listeners found in mounted ConfigMap files: nginx `listen`,
 * HAProxy `bind`, twemproxy `listen:`), the calls containers make to localhost (addresses in env
 * values and arguments), and the outside endpoints: Services selecting the pod, hostPorts,
 * Prometheus scrape annotations, and upstreams found in mounted ConfigMap files (HAProxy
 * `server`, twemproxy `servers`, Fluent Bit `[OUTPUT]` Host/Port). `mermaidPodDiagram` renders
 * the model. Both are pure: the same manifests always give the same text.
 *
 * Emptydirs mounted read-write by one container only (scratch space such as a writable `/tmp`)
 * connect nothing: they are listed in that container's box instead of drawn as volumes.
 */

type Json = Record<string, any>;

/** A container of the pod. */
export interface DiagramContainer {
  readonly name: string;
  readonly image: string;
  /** `init` (runs to completion, in order), `native-sidecar` (init container with restartPolicy Always) or `app`. */
  readonly role: 'init' | 'native-sidecar' | 'app';
  /** Position among the init containers, from 1; undefined for regular containers. */
  readonly initOrder?: number;
  /** Paths of the emptyDirs only this container mounts (read-write scratch space). */
  readonly scratch: readonly string[];
  /** `stdin` and `tty` are set: made for `kubectl exec -it` / `kubectl attach`. */
  readonly interactive: boolean;
}

/** A volume that connects containers, or comes from outside the pod. */
export interface DiagramVolume {
  readonly name: string;
  /** What backs it, e.g. `emptyDir 64Mi`, `hostPath /data`, `configMap web-config`. */
  readonly source: string;
  /** hostPath volumes live on the node, outside the pod. */
  readonly onNode: boolean;
  /** Mounts, in container order: read-write mounts write, read-only mounts read. */
  readonly mounts: ReadonlyArray<{ container: string; path: string; readOnly: boolean; subPath?: string }>;
}

/** A port on the pod's shared network namespace. */
export interface DiagramPort {
  readonly port: number;
  readonly protocol: string;
  /** The container that listens on it. */
  readonly container?: string;
  readonly name?: string;
  /** The address it is bound to, when a configuration file says (e.g. 127.0.0.1: loopback only). */
  readonly bindAddress?: string;
  /** Where the listener was found: `containerPort`, or the ConfigMap file. */
  readonly declaredBy: string;
  readonly hostPort?: number;
}

/** A call a container makes to an address on localhost. */
export interface DiagramLocalCall {
  readonly from: string;
  readonly port: number;
  /** Where the address is written, e.g. `REDIS_ADDR=127.0.0.1:6379` or the URL in the arguments. */
  readonly via: string;
}

/**
 * Something outside the pod: a Service selecting it, a hostPort, Prometheus scraping it (they
 * reach a port); an upstream or a Service a container calls; pods it is scheduled next to or away
 * from (pod affinity).
 */
export interface DiagramEndpoint {
  readonly kind: 'service' | 'hostPort' | 'prometheus' | 'upstream' | 'service-call' | 'affinity';
  readonly label: string;
  /** Outside → pod: the port it reaches (and its protocol); pod → outside: the container that calls it. */
  readonly port?: number;
  readonly protocol?: string;
  readonly container?: string;
  /** The edge's label. */
  readonly via: string;
}

/** Everything a pod diagram shows. */
export interface PodModel {
  readonly kind: string;
  readonly name: string;
  readonly replicas?: number;
  readonly podSecurity?: string;
  readonly shareProcessNamespace: boolean;
  readonly containers: readonly DiagramContainer[];
  readonly volumes: readonly DiagramVolume[];
  readonly ports: readonly DiagramPort[];
  readonly calls: readonly DiagramLocalCall[];
  readonly endpoints: readonly DiagramEndpoint[];
}

/** The kinds whose manifests carry a pod template (or are a pod). */
export const POD_KINDS: readonly string[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The pod's metadata and spec inside a pod-bearing manifest. */
export function podOf(manifest: Json): { metadata: Json; spec: Json } | undefined {
  switch (manifest?.kind) {
    case 'Pod':
      return { metadata: manifest.metadata ?? {}, spec: manifest.spec ?? {} };
    case 'CronJob': {
      const t = manifest.spec?.jobTemplate?.spec?.template;
      return t ? { metadata: t.metadata ?? {}, spec: t.spec ?? {} } : undefined;
    }
    default: {
      if (!POD_KINDS.includes(manifest?.kind)) return undefined;
      const t = manifest.spec?.template;
      return t ? { metadata: t.metadata ?? {}, spec: t.spec ?? {} } : undefined;
    }
  }
}

const LOOPBACK = /(?:[a-z][a-z0-9+.-]*:\/\/)?(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)[^\s"',;]*/g;

/** Listeners a configuration file declares: nginx `listen`, HAProxy `bind`, twemproxy `listen:`. */
export function listenersIn(text: string): Array<{ address?: string; port: number }> {
  const out: Array<{ address?: string; port: number }> = [];
  const re = /^\s*(?:listen:?|bind)\s+(?:(\[[^\]]*\]|[^\s:;]*):)?(\d+)\b/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ address: m[1] || undefined, port: Number(m[2]) });
  }
  return out;
}

/** Upstreams a configuration file names: HAProxy `server`, twemproxy `servers`, Fluent Bit output Host/Port. */
export function upstreamsIn(text: string): Array<{ address: string; name?: string; tls: boolean }> {
  const out: Array<{ address: string; name?: string; tls: boolean }> = [];
  for (const m of text.matchAll(/^\s*server\s+(\S+)\s+(\S+:\d+)(.*)$/gm)) {
    out.push({ address: m[2], name: m[1], tls: /\sssl(\s|$)/.test(m[3]) });
  }
  for (const m of text.matchAll(/^\s*-\s+(\S+):(\d+):\d+(?:\s+(\S+))?\s*$/gm)) {
    out.push({ address: `${m[1]}:${m[2]}`, name: m[3], tls: false });
  }
  for (const section of text.split(/^\s*\[/m)) {
    if (!/^OUTPUT\]/.test(section)) continue;
    const host = /^\s*Host\s+(\S+)/m.exec(section)?.[1];
    if (!host) continue;
    const port = /^\s*Port\s+(\d+)/m.exec(section)?.[1];
    const name = /^\s*Name\s+(\S+)/m.exec(section)?.[1];
    out.push({ address: port ? `${host}:${port}` : host, name, tls: /^\s*tls\s+on\b/im.test(section) });
  }
  return out;
}

function volumeSource(v: Json): { source: string; onNode: boolean } {
  if (v.emptyDir) {
    const parts = ['emptyDir'];
    if (v.emptyDir.medium) parts.push(v.emptyDir.medium);
    if (v.emptyDir.sizeLimit) parts.push(v.emptyDir.sizeLimit);
    return { source: parts.join(' '), onNode: false };
  }
  if (v.hostPath) return { source: `hostPath ${v.hostPath.path}`, onNode: true };
  if (v.configMap) return { source: `configMap ${v.configMap.name}`, onNode: false };
  if (v.secret) return { source: `secret ${v.secret.secretName}`, onNode: false };
  if (v.persistentVolumeClaim) return { source: `persistentVolumeClaim ${v.persistentVolumeClaim.claimName}`, onNode: false };
  const kind = Object.keys(v).filter((k) => k !== 'name').sort()[0] ?? 'volume';
  return { source: kind, onNode: false };
}

/** Whether a Service's selector picks the pod. */
function selects(service: Json, podLabels: Json, namespace: string | undefined): boolean {
  const selector: Json | undefined = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  if ((service.metadata?.namespace ?? undefined) !== namespace) return false;
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

/** Reads one rendered pod-bearing manifest (with the app's other objects) into a {@link PodModel}. */
export function describePod(manifest: Json, objects: readonly Json[] = []): PodModel {
  const pod = podOf(manifest);
  if (!pod) throw new Error(`not a pod-bearing object: ${manifest?.kind}/${manifest?.metadata?.name}`);
  const { metadata, spec } = pod;
  const namespace: string | undefined = manifest.metadata?.namespace ?? undefined;
  const initList: Json[] = spec.initContainers ?? [];
  const appList: Json[] = spec.containers ?? [];
  const all = [...initList, ...appList];
  const configMaps = new Map<string, Json>();
  for (const o of objects) {
    if (o?.kind === 'ConfigMap' && (o.metadata?.namespace ?? undefined) === namespace) configMaps.set(o.metadata?.name, o);
  }

  // volumes and their mounts, in container order
  const mountsOf = new Map<string, Array<{ container: string; path: string; readOnly: boolean; subPath?: string }>>();
  for (const c of all) {
    for (const m of c.volumeMounts ?? []) {
      const list = mountsOf.get(m.name) ?? [];
      list.push({ container: c.name, path: m.mountPath, readOnly: m.readOnly === true, ...(m.subPath ? { subPath: m.subPath } : {}) });
      mountsOf.set(m.name, list);
    }
  }
  const scratchOf = new Map<string, string[]>();
  const volumes: DiagramVolume[] = [];
  for (const v of spec.volumes ?? []) {
    const mounts = mountsOf.get(v.name) ?? [];
    const { source, onNode } = volumeSource(v);
    if (v.emptyDir && mounts.length === 1 && !mounts[0].readOnly) {
      const list = scratchOf.get(mounts[0].container) ?? [];
      list.push(mounts[0].path);
      scratchOf.set(mounts[0].container, list);
      continue;
    }
    volumes.push({ name: v.name, source, onNode, mounts });
  }

  const containers: DiagramContainer[] = [
    ...initList.map((c, i) => ({
      name: c.name,
      image: c.image,
      role: c.restartPolicy === 'Always' ? 'native-sidecar' as const : 'init' as const,
      initOrder: i + 1,
      scratch: scratchOf.get(c.name) ?? [],
      interactive: c.stdin === true && c.tty === true,
    })),
    ...appList.map((c) => ({
      name: c.name,
      image: c.image,
      role: 'app' as const,
      scratch: scratchOf.get(c.name) ?? [],
      interactive: c.stdin === true && c.tty === true,
    })),
  ];

  // the ConfigMap files each container mounts
  const filesOf = (c: Json): Array<{ file: string; text: string }> => {
    const out: Array<{ file: string; text: string }> = [];
    for (const m of c.volumeMounts ?? []) {
      const vol = (spec.volumes ?? []).find((v: Json) => v.name === m.name);
      const cm = vol?.configMap ? configMaps.get(vol.configMap.name) : undefined;
      if (!cm) continue;
      for (const [file, text] of Object.entries<string>(cm.data ?? {})) {
        if (m.subPath && m.subPath !== file) continue;
        out.push({ file, text });
      }
    }
    return out;
  };

  // ports: declared containerPorts, then listeners found in mounted configuration files
  const ports: DiagramPort[] = [];
  const portIndex = (port: number, protocol: string) => ports.findIndex((p) => p.port === port && p.protocol === protocol);
  for (const c of all) {
    for (const p of c.ports ?? []) {
      ports.push({
        port: p.containerPort,
        protocol: p.protocol ?? 'TCP',
        container: c.name,
        ...(p.name ? { name: p.name } : {}),
        declaredBy: 'containerPort',
        ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
      });
    }
  }
  // a `--bind <address>` argument (redis-server and others) binds the container's declared ports
  for (const c of all) {
    const words: string[] = [...(c.command ?? []), ...(c.args ?? [])].filter((w) => typeof w === 'string');
    const i = words.findIndex((w) => w === '--bind' || w.startsWith('--bind='));
    const address = i < 0 ? undefined : words[i] === '--bind' ? words[i + 1] : words[i].slice('--bind='.length);
    if (!address || !/^[\d.]+$/.test(address)) continue;
    ports.forEach((p, j) => {
      if (p.container === c.name && !p.bindAddress) ports[j] = { ...p, bindAddress: address };
    });
  }
  for (const c of all) {
    for (const { file, text } of filesOf(c)) {
      for (const l of listenersIn(text)) {
        const i = portIndex(l.port, 'TCP');
        if (i >= 0) {
          if (ports[i].container === c.name && l.address && !ports[i].bindAddress) ports[i] = { ...ports[i], bindAddress: l.address };
          continue;
        }
        ports.push({ port: l.port, protocol: 'TCP', container: c.name, ...(l.address ? { bindAddress: l.address } : {}), declaredBy: file });
      }
    }
  }

  // calls to localhost, from env values and command lines
  const calls: DiagramLocalCall[] = [];
  for (const c of all) {
    const seen = new Set<string>();
    const add = (port: number, via: string) => {
      const key = `${port} ${via}`;
      if (seen.has(key)) return;
      seen.add(key);
      calls.push({ from: c.name, port, via });
    };
    for (const e of c.env ?? []) {
      if (typeof e.value !== 'string') continue;
      for (const m of e.value.matchAll(LOOPBACK)) add(Number(m[1]), `${e.name}=${m[0]}`);
    }
    for (const word of [...(c.command ?? []), ...(c.args ?? [])]) {
      if (typeof word !== 'string') continue;
      for (const m of word.matchAll(LOOPBACK)) add(Number(m[1]), m[0]);
    }
  }
  for (const call of calls) {
    if (portIndex(call.port, 'TCP') < 0) ports.push({ port: call.port, protocol: 'TCP', declaredBy: 'nothing: no container declares it' });
  }

  // outside endpoints
  const endpoints: DiagramEndpoint[] = [];
  const podLabels: Json = metadata.labels ?? {};
  const services = objects.filter((o) => o?.kind === 'Service' && selects(o, podLabels, namespace))
    .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  for (const svc of services) {
    for (const sp of svc.spec?.ports ?? []) {
      const protocol = sp.protocol ?? 'TCP';
      const target = sp.targetPort ?? sp.port;
      const p = typeof target === 'string'
        ? ports.find((x) => x.name === target && x.protocol === protocol)
        : ports.find((x) => x.port === target && x.protocol === protocol);
      endpoints.push({
        kind: 'service',
        label: `Service ${svc.metadata?.name}`,
        port: p?.port ?? (typeof target === 'number' ? target : undefined),
        protocol,
        via: `:${sp.port}${sp.name ? ` ${sp.name}` : ''}`,
      });
      if (!p && typeof target === 'number' && portIndex(target, protocol) < 0) {
        ports.push({ port: target, protocol, declaredBy: 'nothing: no container declares it' });
      }
    }
  }
  for (const p of ports) {
    if (p.hostPort !== undefined) endpoints.push({ kind: 'hostPort', label: `node :${p.hostPort}`, port: p.port, protocol: p.protocol, via: 'hostPort' });
  }
  const annotations: Json = metadata.annotations ?? {};
  if (annotations['prometheus.io/scrape'] === 'true' && annotations['prometheus.io/port'] !== undefined) {
    endpoints.push({
      kind: 'prometheus',
      label: 'Prometheus',
      port: Number(annotations['prometheus.io/port']),
      via: `scrape ${annotations['prometheus.io/path'] ?? '/metrics'}`,
    });
  }
  // Services the containers call by name (env values, arguments)
  const allServices = objects.filter((o) => o?.kind === 'Service' && (o.metadata?.namespace ?? undefined) === namespace);
  for (const c of all) {
    const seen = new Set<string>();
    const words: Array<{ word: string; via: (w: string) => string }> = [
      ...(c.env ?? []).filter((e: Json) => typeof e.value === 'string').map((e: Json) => ({ word: e.value as string, via: (w: string) => `${e.name}=${w}` })),
      ...[...(c.command ?? []), ...(c.args ?? [])].filter((w) => typeof w === 'string').map((w: string) => ({ word: w, via: (x: string) => x })),
    ];
    for (const { word, via } of words) {
      for (const m of word.matchAll(/(?:[a-z][a-z0-9+.-]*:\/\/)?([a-z0-9][-a-z0-9.]*)(?::(\d+))?[^\s"',;]*/g)) {
        const host = m[1].replace(/\.$/, '');
        const svc = allServices.find((x) => {
          const n = x.metadata?.name;
          const ns = x.metadata?.namespace ?? 'default';
          return [n, `${n}.${ns}`, `${n}.${ns}.svc`, `${n}.${ns}.svc.cluster.local`].includes(host);
        });
        if (!svc || seen.has(`${svc.metadata.name} ${m[0]}`)) continue;
        seen.add(`${svc.metadata.name} ${m[0]}`);
        endpoints.push({ kind: 'service-call', label: `Service ${svc.metadata.name}`, container: c.name, via: via(m[0]) });
      }
    }
  }
  for (const c of all) {
    for (const { text } of filesOf(c)) {
      for (const u of upstreamsIn(text)) {
        endpoints.push({ kind: 'upstream', label: u.tls ? `${u.address} (TLS)` : u.address, container: c.name, via: u.name ?? 'upstream' });
      }
    }
  }

  // scheduling next to (or away from) other pods of the app
  const affinity: Json = spec.affinity ?? {};
  for (const [key, word] of [['podAffinity', 'with'], ['podAntiAffinity', 'away from']] as const) {
    const a: Json = affinity[key] ?? {};
    const terms: Array<{ term: Json; how: string }> = [
      ...(a.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Json) => ({ term: t, how: 'required' })),
      ...(a.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Json) => ({ term: t.podAffinityTerm ?? {}, how: `preferred, weight ${t.weight}` })),
    ];
    for (const { term, how } of terms) {
      const match: Json = term.labelSelector?.matchLabels ?? {};
      const targets = objects.filter((o) => {
        const p = podOf(o);
        return p && o !== manifest && (o.metadata?.namespace ?? undefined) === namespace && Object.keys(match).length > 0
          && Object.entries(match).every(([k, v]) => (p.metadata.labels ?? {})[k] === v);
      });
      const label = targets.length > 0 ? `pods of ${targets.map((t) => `${t.kind} ${t.metadata?.name}`).join(', ')}` : `pods matching ${JSON.stringify(match)}`;
      const where = term.topologyKey === 'kubernetes.io/hostname' ? 'same node' : `same ${term.topologyKey}`;
      endpoints.push({ kind: 'affinity', label, via: `${key} (${how}): ${word === 'with' ? where : `not the ${where}`}` });
    }
  }

  return {
    kind: manifest.kind,
    name: manifest.metadata?.name ?? '',
    ...(typeof manifest.spec?.replicas === 'number' ? { replicas: manifest.spec.replicas } : {}),
    ...(manifest.metadata?.annotations?.['pod-patterns.dev/pod-security'] ? { podSecurity: manifest.metadata.annotations['pod-patterns.dev/pod-security'] } : {}),
    shareProcessNamespace: spec.shareProcessNamespace === true,
    containers,
    volumes,
    ports,
    calls,
    endpoints,
  };
}

/** A Mermaid node id: letters, digits and `_` only, with a prefix so that no id is a keyword. */
function id(prefix: string, name: string | number): string {
  return `${prefix}_${String(name).replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Text for a quoted Mermaid label. */
function text(s: string): string {
  return s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Label lines, joined with Mermaid line breaks. */
function lines(...parts: string[]): string {
  return parts.map(text).join('<br/>');
}

/**
 * One row of the table under a diagram: a box's short label and what it stands for in full
 * (images, hashed ConfigMap names, hostnames, mount paths), as Markdown.
 */
export interface DiagramName {
  readonly box: string;
  readonly is: string;
}

/** A rendered diagram: the Mermaid flowchart (without the code fence) and its names table. */
export interface RenderedDiagram {
  readonly mermaid: string;
  readonly names: readonly DiagramName[];
}

/** Longest label line a diagram box gets; longer names are shortened and given in full in the table. */
export const MAX_LABEL = 24;

/**
 * The first line of every diagram: Mermaid 11 wraps a label line wider than 200 px (its
 * `flowchart.wrappingWidth`), which would break a title such as "Pod Security: restricted" in
 * bold; lines are kept short instead, and the limit raised so that none of them wraps.
 */
export const DIAGRAM_HEADER = '%%{init: {"flowchart": {"wrappingWidth": 400}}}%%\nflowchart TB';

/** Classes every diagram kind uses, so the shared legend (docs/shared-defaults.md) explains them all. */
export const DIAGRAM_CLASSES: readonly string[] = [
  'classDef title fill:none,stroke:none,font-weight:bold',
  'classDef init stroke-dasharray:4 3',
  'classDef outside fill:none,stroke-dasharray:2 2',
];

/** `a`, `b` and `c` as Markdown code spans. */
function codes(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(', ');
}

/** An edge label of two lines when one would be wider than Mermaid wraps at (about 200 px). */
function wrap(s: string): string {
  if (s.length <= MAX_LABEL) return text(s);
  const cut = s.lastIndexOf(' ', MAX_LABEL);
  return cut > 0 ? `${text(s.slice(0, cut).replace(/:$/, ''))}<br/>${text(s.slice(cut + 1))}` : text(s);
}

/** A label line at most MAX_LABEL characters long. */
function short(s: string): string {
  return s.length <= MAX_LABEL ? s : `${s.slice(0, MAX_LABEL - 1)}…`;
}

/**
 * Renders a {@link PodModel} as a top-to-bottom Mermaid flowchart with short labels, and the table
 * that names everything in full.
 *
 * The pod's title (kind, name, replicas, Pod Security level) is a borderless node at the top of the
 * pod box, not the subgraph's label: a node is as wide as its text, while a subgraph label wraps or
 * is clipped when it is wider than the subgraph's content (Mermaid 11.4 to 11.12). Pod affinity is
 * an edge from the pod's first container to the other pods' node (an edge from a subgraph renders
 * as an invisible stub).
 */
export function renderPodDiagram(m: PodModel): RenderedDiagram {
  const out: string[] = [DIAGRAM_HEADER];
  const edges: string[] = [];
  const names: DiagramName[] = [];
  // name; kind and replicas; Pod Security level: each line short enough not to wrap
  const head = [m.name, `${m.kind}${m.replicas !== undefined ? `, ${m.replicas} replica${m.replicas === 1 ? '' : 's'}` : ''}`];
  if (m.podSecurity) head.push(`Pod Security: ${m.podSecurity}`);
  const portId = (p: { port: number; protocol?: string }) => id('port', `${p.port}_${p.protocol ?? 'TCP'}`);
  const portLabel = (p: DiagramPort) => [p.bindAddress ? `${p.bindAddress}:${p.port}` : `:${p.port}`, p.protocol !== 'TCP' ? p.protocol : '', p.name ?? ''].filter(Boolean).join(' ');

  out.push('  subgraph pod[" "]');
  out.push('    direction TB');
  out.push(`    title["${lines(...head)}"]:::title`);
  const inits = m.containers.filter((c) => c.role !== 'app');
  const apps = m.containers.filter((c) => c.role === 'app');
  const first = inits[0] ?? apps[0];
  const callsOf = (name: string) => m.calls.filter((c) => c.from === name).map((c) => c.via);
  const containerRow = (c: DiagramContainer, what: string) => {
    const extra = [
      ...(c.interactive ? ['`stdin` and `tty` set (for `kubectl attach -it`)'] : []),
      ...(c.scratch.length > 0 ? [`scratch emptyDirs at ${codes(c.scratch)}`] : []),
      ...(callsOf(c.name).length > 0 ? [`calls ${codes(callsOf(c.name))}`] : []),
    ];
    const [kind, ...note] = what.split(': ');
    names.push({ box: c.role === 'app' ? c.name : `${c.initOrder}: ${c.name}`, is: `${kind}, image \`${c.image}\`${note.length > 0 ? `: ${note.join(': ')}` : ''}${extra.length > 0 ? `; ${extra.join('; ')}` : ''}` });
  };
  if (inits.length > 0) {
    out.push('    subgraph init["init, in order"]');
    out.push('      direction TB');
    for (const c of inits) {
      const role = c.role === 'native-sidecar' ? 'sidecar' : '';
      out.push(`      ${id('c', c.name)}["${lines(`${c.initOrder}: ${c.name}`, ...(role ? [role] : []), ...(c.interactive ? ['stdin, tty'] : []))}"]:::init`);
      containerRow(c, c.role === 'native-sidecar'
        ? `init container ${c.initOrder}: a native sidecar (\`restartPolicy: Always\`), starts before the containers and runs alongside them`
        : `init container ${c.initOrder}: runs to completion before the next one and the containers start`);
    }
    for (let i = 1; i < inits.length; i++) edges.push(`  ${id('c', inits[i - 1].name)} -. then .-> ${id('c', inits[i].name)}`);
    out.push('    end');
  }
  for (const c of apps) {
    out.push(`    ${id('c', c.name)}["${lines(c.name, ...(c.interactive ? ['stdin, tty'] : []))}"]`);
    containerRow(c, 'container');
  }
  if (m.shareProcessNamespace) {
    out.push('    pid{{"process namespace"}}');
    for (const c of m.containers) edges.push(`  ${id('c', c.name)} -.- pid`);
    names.push({ box: 'process namespace', is: '`shareProcessNamespace: true`: every container sees the others\' processes' });
  }
  const mountText = (v: DiagramVolume) => v.mounts.map((mount) => {
    const sub = mount.subPath && !mount.path.endsWith(`/${mount.subPath}`) ? ` (subPath \`${mount.subPath}\`)` : '';
    return `\`${mount.container}\` ${mount.readOnly ? 'reads' : 'writes'} \`${mount.path}\`${sub}`;
  }).join('; ');
  for (const v of m.volumes.filter((x) => !x.onNode)) {
    out.push(`    ${id('v', v.name)}[("${text(short(v.name))}")]`);
  }
  if (m.ports.length > 0) {
    out.push('    subgraph net["network"]');
    for (const p of m.ports) {
      out.push(`      ${portId(p)}(["${lines(portLabel(p), ...(p.container ? [] : ['no listener']))}"])`);
    }
    out.push('    end');
  }
  out.push('  end');
  for (const v of m.volumes.filter((x) => x.onNode)) {
    out.push(`  ${id('v', v.name)}[("${lines(short(v.name), 'on the node')}")]:::outside`);
  }
  for (const v of m.volumes) {
    names.push({ box: v.name, is: `volume, \`${v.source}\`${v.onNode ? ' (on the node, outside the pod)' : ''}${v.mounts.length > 0 ? `: ${mountText(v)}` : ''}` });
  }
  for (const p of m.ports) {
    const bound = p.bindAddress ? ` bound to \`${p.bindAddress}\`${/^127\./.test(p.bindAddress) || p.bindAddress === '[::1]' ? ' (loopback: only the pod\'s containers reach it)' : ''}` : '';
    const who = p.container
      ? `port of \`${p.container}\` on the pod's shared network namespace, ${p.declaredBy === 'containerPort' ? 'a `containerPort`' : `a listener in \`${p.declaredBy}\``}${bound}`
      : `port on the pod's network namespace that a container calls; ${p.declaredBy}`;
    names.push({ box: portLabel(p), is: who + (p.hostPort !== undefined ? `; \`hostPort: ${p.hostPort}\` on the node` : '') });
  }

  for (const v of m.volumes) {
    for (const mount of v.mounts) {
      edges.push(mount.readOnly
        ? `  ${id('v', v.name)} -->|reads| ${id('c', mount.container)}`
        : `  ${id('c', mount.container)} -->|writes| ${id('v', v.name)}`);
    }
  }
  for (const p of m.ports) {
    if (p.container) edges.push(`  ${portId(p)} --- ${id('c', p.container)}`);
  }
  const viaLabel = (via: string) => text(short(/^([A-Z_][A-Z0-9_]*)=/.exec(via)?.[1] ?? 'calls'));
  for (const call of m.calls) {
    edges.push(`  ${id('c', call.from)} -->|"${viaLabel(call.via)}"| ${portId({ port: call.port })}`);
  }
  const endpointIds = new Map<string, string>();
  let upstreams = 0;
  for (const e of m.endpoints) {
    const key = `${e.kind === 'service-call' ? 'service' : e.kind} ${e.label}`;
    let node = endpointIds.get(key);
    if (!node) {
      node = id('x', endpointIds.size + 1);
      endpointIds.set(key, node);
      let label = short(e.label);
      if (e.kind === 'upstream') {
        upstreams++;
        label = `upstream ${upstreams}${/\(TLS\)$/.test(e.label) ? ', TLS' : ''}`;
        names.push({ box: label, is: `outside the pod: \`${e.label.replace(/ \(TLS\)$/, '')}\`${/\(TLS\)$/.test(e.label) ? ' over TLS' : ''}, \`${e.via}\` in the configuration of \`${e.container}\`` });
      } else if (e.kind === 'affinity') {
        label = 'other pods';
        names.push({ box: label, is: `outside the pod: the ${e.label}` });
      } else if (e.kind === 'service' || e.kind === 'service-call') {
        names.push({ box: label, is: e.kind === 'service' ? `outside the pod: \`${e.label}\` selects this pod` : `outside the pod: \`${e.label}\`, which \`${e.container}\` calls by name` });
      } else if (e.kind === 'hostPort') {
        names.push({ box: label, is: 'outside the pod: the node\'s address' });
      } else {
        names.push({ box: label, is: 'outside the pod: Prometheus, which scrapes the pod as its annotations say' });
      }
      // callers from outside sit above the pod, not beside its title
      if (e.kind === 'service' || e.kind === 'hostPort' || e.kind === 'prometheus') edges.push(`  ${node} ~~~ title`);
      const shape = e.kind === 'upstream' ? `[/"${text(label)}"/]` : e.kind === 'affinity' ? `("${text(label)}")` : `{{"${text(label)}"}}`;
      out.push(`  ${node}${shape}:::outside`);
    }
    if (e.kind === 'upstream') edges.push(`  ${id('c', e.container!)} --> ${node}`);
    else if (e.kind === 'service-call') {
      edges.push(`  ${id('c', e.container!)} -->|"${viaLabel(e.via)}"| ${node}`);
      const row = names.find((n) => n.box === e.container);
      if (row && !row.is.includes(`\`${e.via}\``)) (row as { is: string }).is += `; calls \`${e.via}\``;
    } else if (e.kind === 'affinity') {
      if (first) edges.push(`  ${id('c', first.name)} -.->|"${wrap(e.via)}"| ${node}`);
    } else if (e.port !== undefined) edges.push(`  ${node} -->|"${text(e.via)}"| ${portId({ port: e.port, protocol: e.protocol })}`);
  }
  // the title on top: an invisible link to every box of the pod that no other box of the pod points to
  const inPod = new Set([
    ...m.containers.map((c) => id('c', c.name)),
    ...m.volumes.filter((v) => !v.onNode).map((v) => id('v', v.name)),
    ...m.ports.map(portId),
    ...(m.shareProcessNamespace ? ['pid'] : []),
  ]);
  const pointedTo = new Set<string>();
  for (const e of edges) {
    const ed = /^\s*(\w+)\s+(?:-->|-\.->|-\. then \.->|---|-\.-)(?:\|[^|]*\|)?\s*(\w+)$/.exec(e);
    if (ed && inPod.has(ed[1]) && inPod.has(ed[2])) pointedTo.add(ed[2]);
  }
  const roots = [...inPod].filter((n) => !pointedTo.has(n));
  edges.unshift(...roots.map((n) => `  title ~~~ ${n}`));
  return { mermaid: [...out, ...edges, ...DIAGRAM_CLASSES.map((c) => `  ${c}`)].join('\n') + '\n', names };
}

/** Renders a {@link PodModel} as a Mermaid flowchart (without the code fence). */
export function mermaidFromModel(m: PodModel): string {
  return renderPodDiagram(m).mermaid;
}

/** The Mermaid flowchart of one rendered pod-bearing manifest, given the app's other objects. */
export function mermaidPodDiagram(manifest: Json, objects: readonly Json[] = []): string {
  return mermaidFromModel(describePod(manifest, objects));
}
