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

/** The extra lines of a container's box. */
function details(c: DiagramContainer): string[] {
  return [...(c.interactive ? ['interactive: stdin, tty'] : []), ...c.scratch.map((s) => `scratch ${s}`)];
}

/** Renders a {@link PodModel} as a Mermaid flowchart (without the code fence). */
export function mermaidFromModel(m: PodModel): string {
  const out: string[] = ['flowchart LR'];
  const edges: string[] = [];
  const title = [`${m.kind} ${m.name}`];
  if (m.replicas !== undefined) title.push(`${m.replicas} replica${m.replicas === 1 ? '' : 's'}`);
  if (m.podSecurity) title.push(`Pod Security: ${m.podSecurity}`);
  if (m.shareProcessNamespace) title.push('shared process namespace');
  const portId = (p: { port: number; protocol?: string }) => id('port', `${p.port}_${p.protocol ?? 'TCP'}`);

  out.push(`  subgraph pod["${text(title.join(' · '))}"]`);
  out.push('    direction LR');
  const inits = m.containers.filter((c) => c.role !== 'app');
  if (inits.length > 0) {
    out.push('    subgraph init["init containers, started in order"]');
    out.push('      direction TB');
    for (const c of inits) {
      const role = c.role === 'native-sidecar' ? 'native sidecar: restartPolicy Always, runs alongside' : 'runs to completion first';
      out.push(`      ${id('c', c.name)}["${lines(`${c.initOrder}. ${c.name}`, c.image, role, ...details(c))}"]`);
    }
    for (let i = 1; i < inits.length; i++) edges.push(`  ${id('c', inits[i - 1].name)} -. then .-> ${id('c', inits[i].name)}`);
    out.push('    end');
  }
  for (const c of m.containers.filter((x) => x.role === 'app')) {
    out.push(`    ${id('c', c.name)}["${lines(c.name, c.image, ...details(c))}"]`);
  }
  if (m.shareProcessNamespace) {
    out.push('    pid{{"shared process namespace"}}');
    for (const c of m.containers) edges.push(`  ${id('c', c.name)} -.- pid`);
  }
  for (const v of m.volumes.filter((x) => !x.onNode)) {
    out.push(`    ${id('v', v.name)}[("${lines(v.name, v.source)}")]`);
  }
  if (m.ports.length > 0) {
    out.push('    subgraph net["shared network namespace"]');
    for (const p of m.ports) {
      const where = p.bindAddress ? `${p.bindAddress}:${p.port}` : `:${p.port}`;
      const head = [where, p.protocol !== 'TCP' ? p.protocol : '', p.name ?? ''].filter(Boolean).join(' ');
      const note = p.container ? (p.declaredBy === 'containerPort' ? '' : `from ${p.declaredBy}`) : `listener: ${p.declaredBy}`;
      out.push(`      ${portId(p)}(["${lines(head, ...(note ? [note] : []))}"])`);
    }
    out.push('    end');
  }
  out.push('  end');
  for (const v of m.volumes.filter((x) => x.onNode)) {
    out.push(`  ${id('v', v.name)}[("${lines(v.name, v.source, 'on the node')}")]`);
  }

  for (const v of m.volumes) {
    for (const mount of v.mounts) {
      const path = mount.subPath && !mount.path.endsWith(`/${mount.subPath}`) ? `${mount.path} (${mount.subPath})` : mount.path;
      edges.push(mount.readOnly
        ? `  ${id('v', v.name)} -->|"${text(`reads ${path}`)}"| ${id('c', mount.container)}`
        : `  ${id('c', mount.container)} -->|"${text(`writes ${path}`)}"| ${id('v', v.name)}`);
    }
  }
  for (const p of m.ports) {
    if (p.container) edges.push(`  ${portId(p)} --- ${id('c', p.container)}`);
  }
  for (const call of m.calls) {
    edges.push(`  ${id('c', call.from)} -->|"${text(call.via)}"| ${portId({ port: call.port })}`);
  }
  const endpointIds = new Map<string, string>();
  for (const e of m.endpoints) {
    const key = `${e.kind === 'service-call' ? 'service' : e.kind} ${e.label}`;
    let node = endpointIds.get(key);
    if (!node) {
      node = id('x', endpointIds.size + 1);
      endpointIds.set(key, node);
      const shape = e.kind === 'upstream' ? `[/"${text(e.label)}"/]` : e.kind === 'affinity' ? `("${text(e.label)}")` : `{{"${text(e.label)}"}}`;
      out.push(`  ${node}${shape}`);
    }
    if (e.kind === 'upstream' || e.kind === 'service-call') edges.push(`  ${id('c', e.container!)} -->|"${text(e.via)}"| ${node}`);
    else if (e.kind === 'affinity') edges.push(`  pod -.->|"${text(e.via)}"| ${node}`);
    else if (e.port !== undefined) edges.push(`  ${node} -->|"${text(e.via)}"| ${portId({ port: e.port, protocol: e.protocol })}`);
  }
  return [...out, ...edges].join('\n') + '\n';
}

/** The Mermaid flowchart of one rendered pod-bearing manifest, given the app's other objects. */
export function mermaidPodDiagram(manifest: Json, objects: readonly Json[] = []): string {
  return mermaidFromModel(describePod(manifest, objects));
}
