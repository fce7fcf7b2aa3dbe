/**
 * The documented error table (docs/errors.md): each row is a bad input and the exact error a user
 * gets. test/errors.test.ts runs every row and regenerates the page from these rows, so the page
 * cannot drift from the code.
 */
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Include, Size, Testing } from 'cdk8s';
import * as k8s from '../imports/k8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import {
  Adapter, DebugSidecar, EmptyDirMedium, HaproxyMode, hardenContainer, HeaderDirection, HeaderRule, HttpCompatAdapter,
  HttpCompatAdapterProps, JsonRule, KubernetesVersion, LogRotation, LogShipping, LogSidecar, PatternWorkloadKind,
  PodSecurityNamespace, ProxyAmbassador, ProxyBackend, ProxyHealthCheck, RestartPolicy, setKubernetesVersion,
  SharedVolumePod, SharedVolumePodProps, synthToMemory, UrlAction, UrlRule, WarSidecarPod, WarSidecarPodProps,
} from '../lib';

export interface ErrorRow {
  /** Which construct or stage reports it. */
  readonly where: string;
  /** The bad input, in words. */
  readonly input: string;
  /** Builds (and synthesizes when needed) something that fails. */
  readonly run: () => unknown;
  /** The exact error message. */
  readonly message: string;
}

const NGINX = 'nginxinc/nginx-unprivileged:1.27.5-alpine';
const chart = () => new Chart(Testing.app(), 'chart');
const svp = (props: SharedVolumePodProps) => () => new SharedVolumePod(chart(), 'pod', props);
const one = (extra: Record<string, unknown>) => ({ containers: [{ name: 'web', image: NGINX, mountPath: '/data', ...extra }] }) as SharedVolumePodProps;
const war = (props: Partial<WarSidecarPodProps>) => () => new WarSidecarPod(chart(), 'war', { artifactImage: 'resouer/sample:v2', artifactPath: '/sample.war', ...props });
const synthWith = (add: (c: Chart) => void) => () => {
  const app = new App();
  add(new Chart(app, 'chart'));
  return synthToMemory(app);
};
const userDeployment = (c: Chart) => new kplus.Deployment(c, 'web', { containers: [{ name: 'app', image: NGINX, portNumber: 8080 }] });
const helper = (attach: (c: Chart, w: kplus.Deployment) => void) => () => {
  const c = chart();
  attach(c, userDeployment(c));
};
const P = '[chart/pod] invalid props:\n  ';
const H = '[chart/compat] invalid props:\n  ';
/** An HttpCompatAdapter on a Deployment whose app declares no port (it listens on 127.0.0.1:9080). */
const compat = (props: Partial<HttpCompatAdapterProps>) => () => {
  const c = chart();
  const workload = new kplus.Deployment(c, 'api', { containers: [{ name: 'api', image: 'example.com/shop/api:2.0.0' }] });
  new HttpCompatAdapter(c, 'compat', { workload, port: 8080, appPort: 9080, ...props });
};
const WORKLOAD_EXPECTED = 'a workload: a cdk8s-plus (27 to 33) Pod, Deployment, StatefulSet, DaemonSet, Job or CronJob, a cdk8s L1 object (KubeDeployment, ...), an ApiObject whose kind carries a pod template (e.g. from Include), or a construct holding exactly one of them';
const TWO_DEPLOYMENTS = path.join(__dirname, 'fixtures', 'workloads', 'two-deployments.yaml');
const W = '[chart/war] invalid props:\n  ';

export const ERROR_ROWS: ErrorRow[] = [
  { where: 'SharedVolumePod', input: 'container name not a DNS label', run: svp(one({ name: 'Web_1' })), message: `${P}containers[0].name: received "Web_1"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit` },
  { where: 'SharedVolumePod', input: 'container name over 63 characters', run: svp(one({ name: 'a'.repeat(64) })), message: `${P}containers[0].name: received "${'a'.repeat(64)}"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit` },
  { where: 'SharedVolumePod', input: 'duplicate container names', run: svp({ containers: [{ name: 'a', image: NGINX, mountPath: '/x' }, { name: 'a', image: NGINX, mountPath: '/y' }] }), message: `${P}containers[1].name: received "a"; expected a name not used by another container of the pod` },
  { where: 'SharedVolumePod', input: 'empty image', run: svp(one({ image: '' })), message: `${P}containers[0].image: received ""; expected an image reference such as "nginx:1.27.5" or "registry.example.com/team/app@sha256:<digest>"` },
  { where: 'SharedVolumePod', input: 'unpinned image (no tag, or `latest`)', run: svp(one({ image: 'nginx:latest' })), message: `${P}containers[0].image: received "nginx:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")` },
  { where: 'SharedVolumePod', input: 'port 0', run: svp(one({ ports: [{ number: 0 }] })), message: `${P}containers[0].ports[0].number: received 0; expected an integer port number from 1 to 65535` },
  { where: 'SharedVolumePod', input: 'port 70000', run: svp(one({ ports: [{ number: 70000 }] })), message: `${P}containers[0].ports[0].number: received 70000; expected an integer port number from 1 to 65535` },
  { where: 'SharedVolumePod', input: 'port name over 15 characters', run: svp(one({ ports: [{ number: 80, name: 'a-very-long-port-name' }] })), message: `${P}containers[0].ports[0].name: received "a-very-long-port-name"; expected an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"` },
  { where: 'SharedVolumePod', input: 'same port twice in a container', run: svp(one({ ports: [{ number: 80 }, { number: 80 }] })), message: `${P}containers[0].ports[1].number: received 80; expected a port not listed twice in the same container` },
  { where: 'SharedVolumePod', input: 'relative mount path', run: svp(one({ mountPath: 'html' })), message: `${P}containers[0].mountPath: received "html"; expected an absolute path starting with "/", without ".." segments or ":"` },
  { where: 'SharedVolumePod', input: 'duplicate writable path', run: svp(one({ writablePaths: ['/tmp', '/tmp'] })), message: `${P}containers[0].writablePaths[1]: received "/tmp"; expected a path not listed twice` },
  { where: 'SharedVolumePod', input: 'invalid env var name', run: svp(one({ env: { '1BAD': 'x' } })), message: `${P}containers[0].env: received "1BAD"; expected a C identifier-like environment variable name: letters, digits, "_", "-" or ".", not starting with a digit` },
  { where: 'SharedVolumePod', input: 'memory that is no whole number of kibibytes', run: svp(one({ resources: { memory: { request: Size.kibibytes(0.5) } } })), message: `${P}containers[0].resources.memory.request: received a Size; expected a Size of a whole, non-negative number of kibibytes (e.g. Size.mebibytes(64)), not 0.5 KiB` },
  { where: 'SharedVolumePod', input: 'a CPU request above its limit', run: svp(one({ resources: { cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.millis(500) } } })), message: `${P}containers[0].resources.cpu.request: received "1"; expected at most cpu.limit "500m"` },
  { where: 'SharedVolumePod', input: 'a quantity string from an untyped caller', run: svp(one({ resources: { cpu: { request: '50m' as any } } })), message: `${P}containers[0].resources.cpu.request: received "50m"; expected a Cpu (cdk8s-plus: Cpu.millis(50), Cpu.units(1))` },
  { where: 'SharedVolumePod', input: 'the flat resource props of before', run: svp(one({ resources: { memoryLimit: '128Mi' } as any })), message: `${P}containers[0].resources.memoryLimit: received "128Mi"; expected no such prop: resources are { cpu: { request, limit }, memory: { request, limit } } (cpuRequest: "50m" is now cpu: { request: Cpu.millis(50) }, memoryLimit: "128Mi" is memory: { limit: Size.mebibytes(128) })` },
  { where: 'SharedVolumePod', input: 'capability with the `CAP_` prefix', run: svp(one({ securityContext: { addCapabilities: ['CAP_SYS_PTRACE'] } })), message: `${P}containers[0].securityContext.addCapabilities[0]: received "CAP_SYS_PTRACE"; expected a Linux capability name without the "CAP_" prefix, in upper case (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")` },
  { where: 'SharedVolumePod', input: 'no containers', run: svp({ containers: [] }), message: `${P}containers: received []; expected a non-empty list` },
  { where: 'SharedVolumePod', input: 'only run-to-completion containers', run: svp({ containers: [{ name: 'w', image: NGINX, mountPath: '/d', runsToCompletion: true }] }), message: `${P}containers: received ["w"]; expected at least one container that keeps running (not runsToCompletion)` },
  { where: 'SharedVolumePod', input: 'hostPath together with emptyDir settings', run: svp({ ...one({}), hostPath: '/data', emptyDirMedium: EmptyDirMedium.MEMORY }), message: `${P}hostPath: received "/data"; expected either hostPath or emptyDir settings (emptyDirMedium, emptyDirSizeLimit), not both` },
  { where: 'SharedVolumePod', input: 'emptyDir size limit not whole Mi', run: svp({ ...one({}), emptyDirSizeLimit: Size.kibibytes(1536.5) }), message: `${P}emptyDirSizeLimit: received a Size; expected a Size of a positive whole number of mebibytes up to 1Ti (e.g. Size.mebibytes(64), Size.gibibytes(1)), not 1536.5 KiB` },
  { where: 'SharedVolumePod', input: 'pod name not a DNS subdomain', run: svp({ ...one({}), metadata: { name: 'Two_Containers' } }), message: `${P}metadata.name: received "Two_Containers"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit` },
  { where: 'SharedVolumePod', input: 'invalid label key', run: svp({ ...one({}), metadata: { labels: { 'bad key': 'x' } } }), message: `${P}metadata.labels: received "bad key"; expected a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit` },
  { where: 'SharedVolumePod', input: 'invalid label value', run: svp({ ...one({}), metadata: { labels: { team: 'web team' } } }), message: `${P}metadata.labels["team"]: received "web team"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit` },
  { where: 'SharedVolumePod', input: 'root user under restricted hardening', run: svp({ ...one({}), securityContext: { runAsUser: 0 } }), message: `${P}securityContext.runAsUser: received 0; expected a non-zero user id (restricted pods run as non-root; use hardening: Hardening.NONE to keep the image's user)` },
  { where: 'SharedVolumePod', input: 'a Deployment whose pods would not restart', run: svp({ ...one({}), workloadKind: PatternWorkloadKind.DEPLOYMENT, restartPolicy: RestartPolicy.NEVER }), message: `${P}restartPolicy: received "Never"; expected "Always" (or unset): a Deployment's pods always restart; for pods that run to completion use workloadKind Pod or a Job` },
  { where: 'SharedVolumePod', input: 'a probe on a port the container does not declare', run: svp(one({ ports: [{ number: 8080 }], readiness: kplus.Probe.fromHttpGet('/', { port: 9090 }) })), message: `${P}containers[0].readiness.port: received 9090; expected a port the container declares (8080)` },
  { where: 'WarSidecarPod', input: 'relative artifact path', run: war({ artifactPath: 'sample.war' }), message: `${W}artifactPath: received "sample.war"; expected an absolute path starting with "/", without ".." segments or ":"` },
  { where: 'WarSidecarPod', input: 'host port out of range', run: war({ hostPort: 70000 }), message: `${W}hostPort: received 70000; expected an integer port number from 1 to 65535` },
  { where: 'WarSidecarPod', input: 'empty start command', run: war({ startCommand: [] }), message: `${W}startCommand: received []; expected a non-empty list` },
  { where: 'SharedVolumePod (any construct)', input: 'invalid recommended label override', run: svp({ ...one({}), labels: { name: 'not a label' } } as any), message: `${P}labels.name: received "not a label"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit` },
  { where: 'any construct (untyped caller)', input: 'command as a string, not a list', run: svp(one({ command: 'nginx -g daemon off;' } as any)), message: `${P}containers[0].command: received "nginx -g daemon off;"; expected a list of strings` },
  { where: 'any construct (untyped caller)', input: 'ports as a string', run: svp(one({ ports: '8080' } as any)), message: `${P}containers[0].ports: received "8080"; expected a list of objects with number` },
  { where: 'any construct (untyped caller)', input: 'writablePaths as a string', run: svp(one({ writablePaths: '/tmp' } as any)), message: `${P}containers[0].writablePaths: received "/tmp"; expected a list of strings` },
  { where: 'any construct (untyped caller)', input: 'null in a list (`containers: [null]`)', run: svp({ containers: [null] } as any), message: `${P}containers[0]: received null; expected an object with name, image, mountPath` },
  { where: 'any construct (untyped caller)', input: 'a required prop missing', run: svp({} as any), message: `${P}containers: received undefined; expected a list of objects with name, image, mountPath (required)` },
  { where: 'hardenContainer (untyped caller)', input: 'no workload (`hardenContainer(undefined, ...)`)', run: () => hardenContainer(undefined as any, 'app'), message: `[hardenContainer] invalid props:\n  workload: received undefined; expected ${WORKLOAD_EXPECTED} (required)` },
  { where: 'any construct (untyped caller)', input: 'NaN for a number (shown as NaN, not null)', run: svp(one({ ports: [{ number: NaN }] })), message: `${P}containers[0].ports[0].number: received NaN; expected a finite number` },
  { where: 'any construct (untyped caller)', input: 'Infinity for a number', run: svp({ ...one({}), securityContext: { runAsUser: Infinity } }), message: `${P}securityContext.runAsUser: received Infinity; expected a finite number` },
  { where: 'SharedVolumePod', input: 'one writable path twice, written two ways (`/tmp/` and `/tmp`)', run: svp(one({ writablePaths: ['/tmp/', '/tmp'] })), message: `${P}containers[0].writablePaths[1]: received "/tmp"; expected a path not listed twice` },
  { where: 'SharedVolumePod', input: 'a writable path that is the mount path written another way (`/data/./html//`, `/data/html`)', run: svp(one({ mountPath: '/data/./html//', writablePaths: ['/data/html'] })), message: `${P}containers[0].writablePaths: received ["/data/html"]; expected paths other than the container's mountPath "/data/./html//", where the shared volume is mounted` },
  { where: 'SharedVolumePod', input: '`/` as mount path', run: svp(one({ mountPath: '/' })), message: `${P}containers[0].mountPath: received "/"; expected a directory other than "/" (a volume mounted over "/" would hide the container's whole filesystem)` },
  { where: 'any construct', input: '`/` as writable path', run: svp(one({ writablePaths: ['/'] })), message: `${P}containers[0].writablePaths[0]: received "/"; expected a directory other than "/" (a volume mounted over "/" would hide the container's whole filesystem)` },
  { where: 'WarSidecarPod', input: '`/` as copy destination', run: war({ copyDestination: '/' }), message: `${W}copyDestination: received "/"; expected a directory other than "/" (a volume mounted over "/" would hide the container's whole filesystem)` },
  { where: 'any construct', input: 'a capability Linux does not have (`SYS_PTRACEE`)', run: svp(one({ securityContext: { addCapabilities: ['SYS_PTRACEE'] } })), message: `${P}containers[0].securityContext.addCapabilities[0]: received "SYS_PTRACEE"; expected a Linux capability (capabilities(7)): "ALL" or one of "AUDIT_CONTROL", "AUDIT_READ", ..., "WAKE_ALARM" (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")` },
  { where: 'LogSidecar', input: 'log file outside the log directory', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['../secret'] })), message: '[chart/logs] invalid props:\n  logFiles[0]: received "../secret"; expected a file name relative to logDirectory: letters, digits, ".", "_" or "-", optionally in sub-directories joined by "/", without a leading "/" or "." and ".." segments' },
  { where: 'LogSidecar', input: 'log rotation whose files and copies outgrow the log volume', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['access.log'], volumeSizeLimit: Size.mebibytes(256), rotation: LogRotation.signal({ maxSize: Size.mebibytes(100), keep: 2, appUser: 101, processName: 'nginx' }) })), message: '[chart/logs] invalid props:\n  rotation: received "1 file(s) × (keep 2 + 1) × maxSize 100 MiB = 300 MiB"; expected a rotation budget that fits volumeSizeLimit (256Mi = 256 MiB): lower maxSize or keep, or raise volumeSizeLimit, leaving room for what the app writes in one checkInterval' },
  { where: 'LogSidecar', input: 'log rotation given as a plain object (untyped caller)', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['access.log'], rotation: { maxSize: '50Mi' } as any })), message: '[chart/logs] invalid props:\n  rotation: received "object"; expected a LogRotation (LogRotation.copyTruncate({...}) or LogRotation.signal({...}))' },
  { where: 'LogSidecar', input: 'a removed prop (mode) from an untyped caller', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['access.log'], mode: 'agent' } as any)), message: '[chart/logs] invalid props:\n  mode: received "agent"; expected unset (a removed prop): use shipping: LogShipping.fluentBit({...}) instead' },
  { where: 'LogSidecar', input: 'Fluent Bit shipping with an unpinned image', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['access.log'], shipping: LogShipping.fluentBit({ image: 'fluent/fluent-bit:latest' }) })), message: '[chart/logs] invalid props:\n  shipping.image: received "fluent/fluent-bit:latest"; expected a pinned image: a tag other than "latest" (e.g. "nginx:1.27.5") or a digest ("@sha256:...")' },
  { where: 'LogSidecar', input: 'a log volume size limit that is no whole number of mebibytes', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['access.log'], volumeSizeLimit: Size.kibibytes(1536) })), message: '[chart/logs] invalid props:\n  volumeSizeLimit: received "1536 KiB"; expected a whole number of mebibytes from 1 MiB to 1 TiB, e.g. Size.mebibytes(512) or Size.gibibytes(1)' },
  { where: 'any helper', input: 'native sidecar with a target below Kubernetes 1.29', run: helper((c, w) => new LogSidecar(c, 'logs', { workload: w, logDirectory: '/var/log/app', logFiles: ['app.log'], nativeSidecar: true })), message: '[chart/logs] invalid props:\n  nativeSidecar: received true; expected false, or a target Kubernetes version of 1.29 or later (the target is 1.27; native sidecars are alpha and off by default in 1.28 and absent before): call setKubernetesVersion(app or chart, KubernetesVersion.V1_29) before adding charts' },
  { where: 'ProxyAmbassador', input: 'upstream host that is not a DNS name or IP', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, upstreams: ['bad_host!:6379'], listenPort: 6379 })), message: '[chart/proxy] invalid props:\n  upstreams[0].host: received "bad_host!"; expected a DNS name (letters, digits, "-" and ".", labels of at most 63 characters) or an IPv4 or IPv6 address' },
  { where: 'ProxyAmbassador', input: 'listen port below 1024 (the proxy runs as non-root)', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, upstreams: ['redis:6379'], listenPort: 80 })), message: '[chart/proxy] invalid props:\n  listenPort: received 80; expected an integer port number from 1024 to 65535 (the proxy runs as a non-root user, which cannot bind ports below 1024)' },
  { where: 'ProxyAmbassador', input: 'runtime DNS resolution with a short upstream name (HAProxy\'s resolver has no search domains)', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, backend: ProxyBackend.haproxy({ resolveAtRuntime: true }), upstreams: ['redis-standby:6379'], listenPort: 6379 })), message: '[chart/proxy] invalid props:\n  backend.resolveAtRuntime: received true; expected false, or fully qualified upstream names (e.g. "<service>.<namespace>.svc.cluster.local"): HAProxy\'s runtime resolver does not apply the pod\'s DNS search domains, so "redis-standby" would never resolve' },
  { where: 'ProxyAmbassador', input: 'Redis primary health check in HTTP mode', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, backend: ProxyBackend.haproxy({ mode: HaproxyMode.HTTP, healthCheck: ProxyHealthCheck.REDIS_PRIMARY }), upstreams: ['api.example.com:80'], listenPort: 8080 })), message: '[chart/proxy] invalid props:\n  backend.healthCheck: received "redis-primary"; expected unset or "tcp" unless mode is "tcp" (HTTP mode checks with healthCheckPath)' },
  { where: 'ProxyAmbassador', input: 'a timeout that is not a whole number of milliseconds', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, backend: ProxyBackend.haproxy({ connectTimeout: Duration.millis(0.5) }), upstreams: ['redis:6379'], listenPort: 6379 })), message: '[chart/proxy] invalid props:\n  backend.connectTimeout: received "0.5 ms"; expected a Duration of whole milliseconds from 1 ms to 2147483647 ms (e.g. Duration.millis(1000))' },
  { where: 'ProxyAmbassador', input: 'a flat prop of before `backend`, from an untyped caller', run: helper((c, w) => new ProxyAmbassador(c, 'proxy', { workload: w, upstreams: ['redis:6379'], listenPort: 6379, mode: 'http' } as any)), message: '[chart/proxy] invalid props:\n  mode: received "http"; expected no such prop (the flat proxy props were removed): use backend: ProxyBackend.haproxy({ mode: HaproxyMode.HTTP })' },
  { where: 'Adapter', input: 'metrics port name over 15 characters', run: helper((c, w) => new Adapter(c, 'metrics', { workload: w, image: 'oliver006/redis_exporter:v1.45.0', port: 9121, portName: 'prometheus-metrics' })), message: '[chart/metrics] invalid props:\n  portName: received "prometheus-metrics"; expected an IANA service name: 1-15 lowercase letters, digits or "-", with at least one letter, no "--", not starting or ending with "-"' },
  { where: 'Adapter.nginxExporter', input: 'nginx image not known to include /etc/nginx/conf.d inside http {} (no stub_status server could be added)', run: () => { const c = chart(); const w = new kplus.Deployment(c, 'web', { containers: [{ name: 'nginx', image: 'bitnami/nginx:1.27.5' }] }); Adapter.nginxExporter(c, 'exporter', { workload: w }); }, message: '[chart/exporter] invalid props:\n  stubStatus: received "mount"; expected NginxStubStatus.PROVIDED (your nginx config serves nginxStubStatusServerBlock on statusPort), or confDirectory: the directory whose *.conf files nginx includes inside http {}: the image "bitnami/nginx:1.27.5" of container "nginx" is not one known to include /etc/nginx/conf.d/*.conf ("nginx", "library/nginx", "nginxinc/nginx-unprivileged")' },
  { where: 'DebugSidecar', input: 'capability with the `CAP_` prefix', run: helper((c, w) => new DebugSidecar(c, 'debug', { workload: w, addCapabilities: ['CAP_SYS_PTRACE'] } as any)), message: '[chart/debug] invalid props:\n  addCapabilities[0]: received "CAP_SYS_PTRACE"; expected a Linux capability name without the "CAP_" prefix, in upper case (e.g. "SYS_PTRACE", "NET_BIND_SERVICE")' },
  { where: 'any helper', input: 'no workload (e.g. from untyped code)', run: () => new DebugSidecar(chart(), 'debug', { workload: undefined } as any), message: `[chart/debug] invalid props:\n  workload: received undefined; expected ${WORKLOAD_EXPECTED} (required)` },
  {
    where: 'any helper',
    input: 'a construct holding two workloads (an Include of a file with two Deployments)',
    run: () => {
      const c = chart();
      new DebugSidecar(c, 'debug', { workload: new Include(c, 'two', { url: TWO_DEPLOYMENTS }) });
    },
    message: `[chart/debug] invalid props:\n  workload: received "chart/two"; expected ${WORKLOAD_EXPECTED} (chart/two holds 2: Deployment "web" (chart/two/web-deployment), Deployment "worker" (chart/two/worker-deployment); pass the one to attach to)`,
  },
  {
    where: 'any helper, hardenContainer',
    input: 'an ApiObject whose kind carries no pod',
    run: () => {
      const c = chart();
      hardenContainer(new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }), 'app');
    },
    message: `[chart/cm hardenContainer] invalid props:\n  workload: received "ConfigMap chart/cm"; expected ${WORKLOAD_EXPECTED} (kind ConfigMap carries no pod)`,
  },
  {
    where: 'any helper (target version)',
    input: 'a cdk8s-plus-33 workload in a chart set to an older Kubernetes version',
    run: synthWith((c) => {
      setKubernetesVersion(c, KubernetesVersion.V1_30);
      const d = new kplus33.Deployment(c, 'web', { metadata: { name: 'web' }, containers: [{ name: 'app', image: NGINX }] });
      new DebugSidecar(c, 'debug', { workload: d });
    }),
    message: 'Synthesis failed with 1 error:\n  [chart/debug] kubernetesVersion: received "1.30"; expected "1.33" or later: the workload Deployment "web" (chart/web) comes from cdk8s-plus-33, which writes the Kubernetes 1.33 API (call setKubernetesVersion(app or chart, KubernetesVersion.V1_33), or leave the version unset to target 1.33)',
  },
  { where: 'hardenContainer', input: 'a container the workload does not have', run: helper((_c, w) => hardenContainer(w, 'ngnix')), message: '[chart/web hardenContainer] invalid props:\n  container: received "ngnix"; expected the name of a container of the workload ("app")' },
  {
    where: 'pod-wide check (helpers)',
    input: 'a helper binds the app\'s port',
    run: synthWith((c) => new Adapter(c, 'metrics', { workload: userDeployment(c), image: 'oliver006/redis_exporter:v1.45.0', port: 8080 })),
    message: 'Synthesis failed with 1 error:\n  [chart/web] containers[1].ports[0].containerPort: received 8080; expected a port not already bound by container "app" (TCP); containers of a pod share one network namespace',
  },
  {
    where: 'PodSecurityNamespace',
    input: 'enforce level stricter than its pods declare',
    run: () => {
      const app = new App();
      const c = new Chart(app, 'chart', { namespace: 'team' });
      new PodSecurityNamespace(c, 'ns', { name: 'team', enforce: 'restricted' } as any);
      new SharedVolumePod(c, 'pod', { metadata: { name: 'files' }, containers: [{ name: 'web', image: NGINX, mountPath: '/d' }], hostPath: '/data' });
      return synthToMemory(app);
    },
    message: 'Synthesis failed with 1 error:\n  [chart/ns] enforce: received "restricted"; expected "privileged" or less strict: the pods of Pod "files" (chart/pod/Pod/Resource) in namespace "team" need "privileged"',
  },
  {
    where: 'pod-wide check (any workload a pattern touches)',
    input: 'two running containers bind the same port',
    run: synthWith((c) => new SharedVolumePod(c, 'pod', { containers: [{ name: 'a', image: NGINX, mountPath: '/x', ports: [{ number: 8080 }] }, { name: 'b', image: NGINX, mountPath: '/y', ports: [{ number: 8080 }] }] })),
    message: 'Synthesis failed with 1 error:\n  [chart/pod/Pod] containers[1].ports[0].containerPort: received 8080; expected a port not already bound by container "a" (TCP); containers of a pod share one network namespace',
  },
  {
    where: 'pod-wide check (any workload)',
    input: 'a mount that refers to no declared volume',
    run: synthWith((c) => new ApiObject(c, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: NGINX, volumeMounts: [{ name: 'nope', mountPath: '/x' }] }] } } as any)),
    message: 'Synthesis failed with 1 error:\n  [chart/pod] containers[0].volumeMounts[0].name: received "nope"; expected the name of a volume declared in the pod (none declared)',
  },
  {
    where: 'pod-wide check (any workload)',
    input: 'memory request above its limit',
    run: synthWith((c) => new ApiObject(c, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: NGINX, resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } }] } } as any)),
    message: 'Synthesis failed with 1 error:\n  [chart/pod] containers[0].resources.requests.memory: received "1Gi"; expected at most the limit "512Mi"',
  },
  {
    where: 'pod-wide check (any workload)',
    input: 'duplicate mount paths in a container',
    run: synthWith((c) => {
      const d = new kplus.Deployment(c, 'app', { containers: [{ name: 'a', image: NGINX, securityContext: { ensureNonRoot: false } }] });
      const v = kplus.Volume.fromEmptyDir(c, 'v', 'data');
      d.containers[0].mount('/x', v);
      d.containers[0].mount('/x', kplus.Volume.fromEmptyDir(c, 'w', 'other'));
    }),
    message: 'Synthesis failed with 1 error:\n  [chart/app/Resource] containers[0].volumeMounts[1].mountPath: received "/x"; expected a mount path not used by another mount of the same container',
  },
  {
    where: 'synth: strict schema',
    input: 'an unknown field',
    run: synthWith((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, dat: { a: 'b' } } as any)),
    message: 'Synthesis failed with 1 error:\n  [chart/cm] Kubernetes 1.27 schema: /dat: unknown field "dat"; did you mean "data"?',
  },
  {
    where: 'synth: duplicate objects',
    input: 'two objects with the same kind, namespace and name',
    run: synthWith((c) => {
      new ApiObject(c, 'one', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
      new ApiObject(c, 'two', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    }),
    message: 'Synthesis failed with 1 error:\n  [chart/two] metadata.name: received "same"; expected a name not used by another ConfigMap in the same namespace (chart/one has it)',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a chart id with "_" gives a generated name the API server refuses',
    run: () => {
      const app = new App();
      new kplus.ConfigMap(new Chart(app, 'my_chart'), 'config', { data: { a: 'b' } });
      return synthToMemory(app);
    },
    message: 'Synthesis failed with 1 error:\n  [my_chart/config/Resource] metadata.name: received "my_chart-config-c80142cb"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit (the API server\'s rule for a ConfigMap\'s name); the name is generated from the construct path: give the chart and constructs ids of lowercase letters, digits and "-" (or set metadata.name)',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a Service name that is not a DNS-1035 label (starts with a digit)',
    run: synthWith((c) => new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1-web' }, spec: { ports: [{ port: 80 }] } })),
    message: 'Synthesis failed with 1 error:\n  [chart/svc] metadata.name: received "1-web"; expected a DNS-1035 label: 1-63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit (the API server\'s rule for a Service\'s name)',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a Namespace name with "."',
    run: synthWith((c) => new ApiObject(c, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } })),
    message: 'Synthesis failed with 1 error:\n  [chart/ns] metadata.name: received "team.a"; expected a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit (the API server\'s rule for a Namespace\'s name)',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a CronJob name over 52 characters',
    run: synthWith((c) => new ApiObject(c, 'cron', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c'.repeat(53) }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: NGINX }] } } } } } })),
    message: `Synthesis failed with 1 error:\n  [chart/cron] metadata.name: received "${'c'.repeat(53)}"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit, and at most 52 characters (the CronJob controller appends 11 characters to name its Jobs) (the API server's rule for a CronJob's name)`,
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a label value on the user\'s own object',
    run: synthWith((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { team: 'web team' } } })),
    message: 'Synthesis failed with 1 error:\n  [chart/cm] metadata.labels["team"]: received "web team"; expected a label value: empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a label key on a pod template',
    run: synthWith((c) => new ApiObject(c, 'deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { 'app': 'web', 'Example.com/x': 'y' } }, spec: { containers: [{ name: 'a', image: NGINX }] } } } })),
    message: 'Synthesis failed with 1 error:\n  [chart/deploy] spec.template.metadata.labels: received "Example.com/x"; expected a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'an annotation key that is not a qualified name',
    run: synthWith((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'my annotation': 'v' } } })),
    message: 'Synthesis failed with 1 error:\n  [chart/cm] metadata.annotations: received "my annotation"; expected an annotation key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'annotations over 256 KiB in total',
    run: synthWith((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { a: 'x'.repeat(200_000), b: 'y'.repeat(70_000) } } })),
    message: 'Synthesis failed with 1 error:\n  [chart/cm] metadata.annotations: received 270002 bytes of keys and values; expected at most 262144 (256 KiB), the API server\'s limit for all annotations of an object',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a ConfigMap data key with a space',
    run: synthWith((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'my file.txt': 'a' } })),
    message: 'Synthesis failed with 1 error:\n  [chart/cm] data: received "my file.txt"; expected a ConfigMap key: at most 253 letters, digits, "-", "_" or ".", not "." or ".." and not starting with ".."',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a Secret data key ".."',
    run: synthWith((c) => new ApiObject(c, 's', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, stringData: { '..': 'a' } })),
    message: 'Synthesis failed with 1 error:\n  [chart/s] stringData: received ".."; expected a Secret key: at most 253 letters, digits, "-", "_" or ".", not "." or ".." and not starting with ".."',
  },
  {
    where: 'synth: metadata (any object)',
    input: 'a Job name over 63 characters (it becomes a label value of its pods)',
    run: synthWith((c) => new ApiObject(c, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j'.repeat(64) }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: NGINX }] } } } })),
    message: `Synthesis failed with 1 error:\n  [chart/job] metadata.name: received "${'j'.repeat(64)}"; expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" or ".", starting and ending with a letter or digit, and at most 63 characters (the Job's name is the value of its pods' job-name label) (the API server's rule for a Job's name)`,
  },
  { where: 'HttpCompatAdapter', input: 'the app still declares the port the adapter takes over', run: helper((c, w) => new HttpCompatAdapter(c, 'compat', { workload: w, port: 8080, appPort: 9080 })), message: `${H}port: received 8080; expected a port the app container "app" no longer declares: the adapter takes it over and the app moves to 127.0.0.1:9080 (declare no port on the app: it listens on loopback only)` },
  { where: 'HttpCompatAdapter', input: 'a prefix rule shadowed by a shorter one before it', run: compat({ rules: [UrlRule.prefix('/v1', '/v2'), UrlRule.prefix('/v1/users', '/v2/people')] }), message: `${H}rules[1].from: received "/v1/users"; expected a rule that can match: rules[0] (prefix "/v1") comes first and takes every path this one matches; put the longer prefix first` },
  { where: 'HttpCompatAdapter', input: 'a regex replacement with a capture the pattern lacks', run: compat({ rules: [UrlRule.regex('^/v1/orders/([0-9]+)$', '/v2/orders/$2')] }), message: `${H}rules[0].to: received "/v2/orders/$2"; expected captures the pattern has ($1 to $1; it has 1 group): "$2" is empty` },
  { where: 'HttpCompatAdapter', input: 'a rewrite to a path the app does not serve (appPaths)', run: compat({ appPaths: ['/v2'], rules: [UrlRule.prefix('/v1/users', '/v3/people')] }), message: `${H}rules[0].to: received "/v3/people"; expected a path the app serves (appPaths: "/v2")` },
  { where: 'HttpCompatAdapter', input: 'a redirect that matches its own target', run: compat({ rules: [UrlRule.prefix('/api', '/api/v2', { action: UrlAction.REDIRECT_308 })] }), message: `${H}rules[0].to: received "/api/v2"; expected a path the rule does not match itself (redirecting "/api" there makes the client loop)` },
  { where: 'HttpCompatAdapter', input: 'body rules on a redirect', run: compat({ rules: [UrlRule.prefix('/v1', '/v2', { action: UrlAction.REDIRECT_301, requestBody: [JsonRule.drop('x')] })] }), message: `${H}rules[0].options.requestBody: received "1 rules"; expected unset unless action is "rewrite" (a redirected client sends its next request to the new URL itself)` },
  { where: 'HttpCompatAdapter', input: 'two header rules on one header', run: compat({ headers: [HeaderRule.set(HeaderDirection.RESPONSE, 'X-A', '1'), HeaderRule.rename(HeaderDirection.RESPONSE, 'X-B', 'X-A')] }), message: `${H}headers[1].value: received "X-A"; expected a response header no other rule changes (headers[0] does)` },
  {
    where: 'HttpCompatAdapter',
    input: 'a Service (of any library) with no port aimed at port or appPort',
    run: () => {
      const c = chart();
      const workload = new kplus.Deployment(c, 'api', { containers: [{ name: 'api', image: 'example.com/shop/api:2.0.0' }] });
      const service = new kplus33.Service(c, 'svc', { ports: [{ name: 'http', port: 80, targetPort: 7000 }] });
      new HttpCompatAdapter(c, 'compat', { workload, port: 8080, appPort: 9080, service });
    },
    message: `${H}service: received "chart/svc"; expected a Service with a port whose targetPort is port (8080) or appPort (9080) (its targetPorts: 7000)`,
  },
  { where: 'HttpCompatAdapter (untyped caller)', input: 'a rule factory given a number (`UrlRule.prefix(7, "/v2")`)', run: compat({ rules: [UrlRule.prefix(7 as any, '/v2')] }), message: `${H}rules[0].from: received 7; expected a string` },
  { where: 'HttpCompatAdapter', input: 'appPort equal to port', run: compat({ appPort: 8080 }), message: `${H}appPort: received 8080; expected a port other than port (8080): the adapter listens on port, the app on 127.0.0.1:appPort` },
  {
    where: 'any helper (start order)',
    input: '`startAfterInitContainer` names no init container of the workload',
    run: () => {
      const app = new App();
      setKubernetesVersion(app, KubernetesVersion.V1_29);
      const c = new Chart(app, 'chart');
      const w = new kplus.Deployment(c, 'web', { containers: [{ name: 'app', image: NGINX }], initContainers: [{ name: 'migrate', image: 'busybox:1.36.1' }] });
      new ProxyAmbassador(c, 'db', { workload: w, listenPort: 5432, upstreams: ['db.example.com:5432'], nativeSidecar: true, startAfterInitContainer: 'migrat' });
    },
    message: '[chart/db] invalid props:\n  startAfterInitContainer: received "migrat"; expected the name of an init container of the workload ("migrate")',
  },
  {
    where: 'any helper (start order)',
    input: '`startAfterInitContainer` without `nativeSidecar`',
    run: helper((c, w) => new ProxyAmbassador(c, 'db', { workload: w, listenPort: 5432, upstreams: ['db.example.com:5432'], startAfterInitContainer: 'migrate' })),
    message: '[chart/db] invalid props:\n  startAfterInitContainer: received "migrate"; expected unset unless nativeSidecar is true (a regular sidecar starts after every init container anyway)',
  },
  {
    where: 'Adapter (start order)',
    input: '`holdAppUntilReady` on an adapter the app does not call',
    run: helper((c, w) => Adapter.nginxExporter(c, 'exporter', { workload: w, holdAppUntilReady: true })),
    message: '[chart/exporter] invalid props:\n  holdAppUntilReady: received true; expected false or unset: an Adapter is called by Prometheus, not by the app, so the app need not wait for it (and the exporter images have no shell to run the hook)',
  },
  {
    where: 'any helper (stop order)',
    input: '`appDrain` not whole seconds',
    run: helper((c, w) => new ProxyAmbassador(c, 'db', { workload: w, listenPort: 5432, upstreams: ['db.example.com:5432'], appDrain: Duration.millis(1500) })),
    message: '[chart/db] invalid props:\n  appDrain: received "1.5 s"; expected a Duration of whole seconds from 0 to 3600 (e.g. Duration.seconds(10))',
  },
  {
    where: 'grace-period budget (helpers)',
    input: 'the app\'s preStop sleep and the helpers\' stop exceed the pod\'s grace period',
    run: synthWith((c) => {
      const w = new k8s.KubeDeployment(c, 'web', {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'app', image: NGINX, lifecycle: { preStop: { exec: { command: ['sleep', '30'] } } } }] },
          },
        },
      });
      new ProxyAmbassador(c, 'db', { workload: w, listenPort: 5432, upstreams: ['db.example.com:5432'] });
    }),
    message: 'Synthesis failed with 1 error:\n  [chart/web] terminationGracePeriodSeconds: received 30 (unset: Kubernetes\' default); expected at least 31: the app container "app" drains for 30 s (its preStop sleep), then the helpers stop: "haproxy" up to 1 s; raise terminationGracePeriodSeconds or shorten the drain (appDrain)',
  },
  {
    where: 'grace-period budget (helpers)',
    input: 'no app drain, and the helpers\' stop exceeds a grace period of 0',
    run: synthWith((c) => {
      const w = new k8s.KubeDeployment(c, 'web', {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: NGINX }] } },
        },
      });
      new Adapter(c, 'metrics', { workload: w, image: 'oliver006/redis_exporter:v1.45.0', port: 9121 });
    }),
    message: 'Synthesis failed with 1 error:\n  [chart/web] terminationGracePeriodSeconds: received 0; expected at least 1: the helpers stop: "adapter" up to 1 s; raise terminationGracePeriodSeconds',
  },
];
