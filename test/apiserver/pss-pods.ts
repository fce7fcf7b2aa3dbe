/**
 * Pods for the cross-check of lib/_pod/pss.ts against the upstream Pod Security evaluator
 * (test/apiserver/psscheck, Go): each pod with the library's verdict (the failing check ids) at
 * every level and every policy version 1.27-1.37. Two sources:
 * - the pods of the objects the property-based generators make (fuzz-objects.ts): what the
 *   library writes;
 * - a targeted generator that varies every field a Pod Security check reads (host namespaces,
 *   privileged, capabilities, volumes, host ports, AppArmor, SELinux, procMount, seccomp, sysctls,
 *   Windows options, privilege escalation, run-as-root, user namespaces, probe and lifecycle hosts),
 *   in init, regular and ephemeral containers.
 *
 *   npx ts-node --transpile-only test/apiserver/pss-pods.ts OUT.json [TARGETED_COUNT] [FUZZ_OBJECTS] [SEED]
 */
import * as fs from 'fs';
import fc from 'fast-check';
import { checkPodSecurity, PSS_MAX_MINOR, PSS_MIN_MINOR } from '../../lib/_pod/pss';
import { podMetadataOf, podSpecOf } from '../../lib/_pod/inject';
import { fuzzObjects } from './fuzz-objects';
import { PodSecurityLevel } from '../../lib';

/** Unset three times out of four: most generated pods set a few fields only. */
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });

const capability = fc.constantFrom('NET_BIND_SERVICE', 'CHOWN', 'SETUID', 'SYS_CHROOT', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE', 'ALL', 'chown');
const seccomp = fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined'), localhostProfile: opt(fc.constant('profiles/a.json')) }, { requiredKeys: ['type'] })
  .map((s) => (s.type === 'Localhost' ? s : { type: s.type }));
const seLinux = fc.record({
  type: opt(fc.constantFrom('', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t', 'spc_t', 'unconfined_t')),
  user: opt(fc.constantFrom('', 'system_u')),
  role: opt(fc.constantFrom('', 'system_r')),
  level: opt(fc.constant('s0:c1,c2')),
}, { requiredKeys: [] });
const appArmorField = fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined'), localhostProfile: opt(fc.constant('k8s-apparmor-example')) }, { requiredKeys: ['type'] })
  .map((a) => (a.type === 'Localhost' ? { type: 'Localhost', localhostProfile: a.localhostProfile ?? 'p' } : { type: a.type }));
const handlerHost = fc.constantFrom(undefined, '', '10.0.0.1', 'example.com');
const probe = fc.record({
  kind: fc.constantFrom('httpGet', 'tcpSocket', 'exec'),
  host: handlerHost,
}).map(({ kind, host }) => (kind === 'exec' ? { exec: { command: ['true'] } } : { [kind]: { port: 8080, ...(host !== undefined ? { host } : {}) } }));
const lifecycleHandler = fc.record({ kind: fc.constantFrom('httpGet', 'tcpSocket', 'sleep'), host: handlerHost })
  .map(({ kind, host }) => (kind === 'sleep' ? { sleep: { seconds: 1 } } : { [kind]: { port: 8080, ...(host !== undefined ? { host } : {}) } }));
const SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat', 'kernel.msgmax', 'net.core.somaxconn',
];

const securityContext = fc.record({
  privileged: opt(fc.boolean()),
  allowPrivilegeEscalation: opt(fc.boolean()),
  capabilities: opt(fc.record({ add: opt(fc.uniqueArray(capability, { maxLength: 2 })), drop: opt(fc.uniqueArray(fc.constantFrom('ALL', 'NET_RAW', 'all'), { maxLength: 2 })) }, { requiredKeys: [] })),
  runAsNonRoot: opt(fc.boolean()),
  runAsUser: opt(fc.constantFrom(0, 1000)),
  seccompProfile: opt(seccomp),
  seLinuxOptions: opt(seLinux),
  procMount: opt(fc.constantFrom('Default', 'Unmasked')),
  appArmorProfile: opt(appArmorField),
  windowsOptions: opt(fc.record({ hostProcess: opt(fc.boolean()) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

const container = (name: string) => fc.record({
  securityContext: opt(securityContext),
  ports: opt(fc.array(fc.record({ containerPort: fc.constantFrom(80, 8080), hostPort: opt(fc.constantFrom(0, 8001)) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })),
  livenessProbe: opt(probe),
  readinessProbe: opt(probe),
  startupProbe: opt(probe),
  lifecycle: opt(fc.record({ postStart: opt(lifecycleHandler), preStop: opt(lifecycleHandler) }, { requiredKeys: [] })),
}, { requiredKeys: [] }).map((c) => {
  // distinct container ports, as the API server requires
  const ports = c.ports ? [...new Map(c.ports.map((p) => [p.containerPort, p])).values()] : undefined;
  return { name, image: 'registry.k8s.io/pause:3.10', ...c, ...(ports ? { ports } : {}) };
});

const volume = (i: number) => fc.constantFrom<Record<string, unknown>>(
  { emptyDir: {} }, { configMap: { name: 'c' } }, { secret: { secretName: 's' } }, { hostPath: { path: '/data' } },
  { nfs: { server: 'nfs', path: '/x' } }, { persistentVolumeClaim: { claimName: 'pvc' } }, { projected: { sources: [] } }, {},
).map((src) => ({ name: `v${i}`, ...src }));

const targetedPod = fc.record({
  hostNetwork: opt(fc.boolean()),
  hostPID: opt(fc.boolean()),
  hostIPC: opt(fc.boolean()),
  hostUsers: opt(fc.boolean()),
  os: opt(fc.constantFrom({ name: 'linux' }, { name: 'windows' })),
  securityContext: opt(fc.record({
    runAsNonRoot: opt(fc.boolean()),
    runAsUser: opt(fc.constantFrom(0, 1000)),
    seccompProfile: opt(seccomp),
    seLinuxOptions: opt(seLinux),
    appArmorProfile: opt(appArmorField),
    sysctls: opt(fc.uniqueArray(fc.constantFrom(...SYSCTLS), { maxLength: 3 }).map((ns) => ns.map((name) => ({ name, value: '1' })))),
    windowsOptions: opt(fc.record({ hostProcess: opt(fc.boolean()) }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
  initContainers: opt(fc.tuple(container('init')).map((t) => t)),
  containers: fc.tuple(container('app'), opt(container('sidecar'))).map(([a, b]) => (b ? [a, b] : [a])),
  ephemeralContainers: opt(fc.tuple(container('debug')).map((t) => t)),
  volumes: opt(fc.tuple(volume(0), volume(1)).map((t) => t)),
  annotations: opt(fc.dictionary(
    fc.constantFrom('app', 'sidecar', 'init').map((c) => `container.apparmor.security.beta.kubernetes.io/${c}`),
    fc.constantFrom('runtime/default', 'localhost/p', 'unconfined', ''),
    { maxKeys: 2 },
  )),
}, { requiredKeys: ['containers'] }).map(({ annotations, ...spec }) => ({
  metadata: { name: 'targeted', ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}) },
  spec: Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)),
}));

/**
 * Fills what a generated pod leaves unset with restricted values (so a generated pod is near the
 * boundary: it fails only for the fields the generator did set).
 */
function hardenUnset(pod: { metadata: any; spec: any }): { metadata: any; spec: any } {
  const spec = structuredClone(pod.spec);
  spec.securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...spec.securityContext };
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of spec[list] ?? []) {
      c.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...c.securityContext };
    }
  }
  return { metadata: pod.metadata, spec };
}

/** One pod and the library's failing check ids per version and level. */
export interface PssCase {
  readonly source: string;
  readonly pod: { metadata: any; spec: any };
  readonly library: Record<string, { baseline: string[]; restricted: string[] }>;
}

export const PSS_VERSIONS: readonly string[] = Array.from({ length: PSS_MAX_MINOR - PSS_MIN_MINOR + 1 }, (_, i) => `1.${PSS_MIN_MINOR + i}`);

function withVerdicts(source: string, pod: { metadata: any; spec: any }): PssCase {
  const library: PssCase['library'] = {};
  for (const v of PSS_VERSIONS) {
    library[v] = {
      baseline: checkPodSecurity(PodSecurityLevel.BASELINE, pod, v).map((x) => x.check).sort(),
      restricted: checkPodSecurity(PodSecurityLevel.RESTRICTED, pod, v).map((x) => x.check).sort(),
    };
  }
  return { source, pod, library };
}

/** The cases: `targeted` generated pods and the pods of `fuzz` generated objects. */
export function pssCases(targeted: number, fuzz: number, seed: number): PssCase[] {
  const cases = fc.sample(fc.tuple(targetedPod, fc.boolean()), { numRuns: targeted, seed })
    .map(([p, harden], i) => withVerdicts(`targeted pod ${i + 1} (seed ${seed}${harden ? ', unset fields hardened' : ''})`, harden ? hardenUnset(p) : p));
  const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
  for (const o of fuzzObjects(fuzz, seed).objects.filter((x) => POD_KINDS.has(x.manifest.kind))) {
    cases.push(withVerdicts(`${o.source}: ${o.manifest.kind} ${o.manifest.metadata.name}`, { metadata: podMetadataOf(o.manifest) ?? {}, spec: podSpecOf(o.manifest) }));
  }
  return cases;
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: pss-pods.ts OUT.json [TARGETED_COUNT] [FUZZ_OBJECTS] [SEED]');
  const cases = pssCases(Number(process.argv[3] ?? 2000), Number(process.argv[4] ?? 300), Number(process.argv[5] ?? 20261201));
  fs.writeFileSync(out, JSON.stringify({ versions: PSS_VERSIONS, cases }));
  process.stdout.write(`pss-pods: ${cases.length} pods x ${PSS_VERSIONS.length} policy versions x 2 levels written to ${out}\n`);
}
