/**
 * The real kube-apiserver (k8s.io/kubernetes built by scripts/apiserver/build.sh, started by
 * scripts/apiserver/start.sh with Pod Security Admission on) against what the project writes.
 * `npm run test:apiserver` (scripts/apiserver/test.sh) starts the server and runs this file.
 *
 * For each input (inputs.ts): its Namespaces and ServiceAccounts are created for real (with their
 * Pod Security labels), with the `default` ServiceAccount kube-controller-manager would add; every
 * other object is created with server-side dry-run and fieldValidation=Strict. Every object must be
 * admitted with no `Warning` header (Pod Security warnings included). Pod-bearing objects that
 * declare a level (annotation pod-patterns.dev/pod-security) are also sent to a namespace
 * enforcing it at the server's newest policy version and, when their own namespace has no Pod
 * Security labels, at their chart's target version.
 *
 * Negative controls show the harness bites: the seed's YAML as written, the seed-faithful
 * privileged pods under `restricted`, a helper with an added capability under `restricted`, and a
 * name the library must refuse.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { DebugSidecar, KubernetesVersion, SharedVolumePod } from '../../lib';
import { POD_SECURITY_ANNOTATION } from '../../lib/_pod/security';
import { setKubernetesVersion } from '../../lib/_pod/version';
import { synthToMemory } from '../../lib/synth';
import { buildWorkload } from '../fuzz/arbitraries';
import { InputObject, INPUTS, objectsOf, parseYamlDocuments, ROOT } from './inputs';
import { connectionFromEnv, Kube, Reply } from './kube';
import { errorOf } from '../util/synth';

const PSA = 'pod-security.kubernetes.io';
const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate']);

let kube: Kube;
let serverMinor: number;

beforeAll(async () => {
  kube = new Kube(connectionFromEnv());
  await kube.discover();
  serverMinor = Number((await kube.version()).minor);
});
afterAll(() => kube?.close());

const say = (line: string) => process.stdout.write(`${line}\n`);
const describeObj = (o: InputObject) => `${o.source}: ${o.manifest?.kind} ${JSON.stringify(o.manifest?.metadata?.name)}`;
const statusOf = (r: Reply) => `${r.status} ${typeof r.body === 'object' ? r.body.message : String(r.body).slice(0, 300)}`;

/** Labels of the namespaces this run created, as last set. */
const created = new Map<string, Record<string, string>>();

/**
 * Creates a Namespace for real (and its `default` ServiceAccount). One that an earlier input
 * created with other labels (both consumer apps use "shop") gets this input's labels, as applying
 * the second app to the same cluster would do.
 */
async function ensureNamespace(manifest: any): Promise<string[]> {
  const name = manifest.metadata.name;
  const labels = manifest.metadata.labels ?? {};
  const problems: string[] = [];
  if (created.has(name)) {
    if (JSON.stringify(created.get(name)) !== JSON.stringify(labels)) {
      const current = (await kube.request('GET', `/api/v1/namespaces/${name}`)).body;
      const r = await kube.request('PUT', `/api/v1/namespaces/${name}?fieldValidation=Strict`, { ...current, metadata: { ...current.metadata, labels } });
      if (r.status >= 300) problems.push(`Namespace ${name}: relabelling: ${statusOf(r)}`);
      for (const w of r.warnings) problems.push(`Namespace ${name}: relabelling: warning: ${w}`);
      created.set(name, labels);
    }
    return problems;
  }
  const r = name === 'default' ? { status: 200, body: {}, warnings: [] } : await kube.create(manifest, { dryRun: false });
  if (r.status >= 300) problems.push(`Namespace ${name}: ${statusOf(r)}`);
  for (const w of r.warnings) problems.push(`Namespace ${name}: warning: ${w}`);
  created.set(name, labels);
  const sa = await kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } }, { dryRun: false });
  if (sa.status >= 300 && sa.status !== 409) problems.push(`ServiceAccount ${name}/default: ${statusOf(sa)}`);
  return problems;
}

/** A namespace enforcing (and warning and auditing) one Pod Security level at one policy version. */
function levelNamespace(level: string, minor: number): any {
  const name = `declared-${level}-v1-${minor}`;
  const labels: Record<string, string> = {};
  for (const mode of ['audit', 'enforce', 'warn']) {
    labels[`${PSA}/${mode}`] = level;
    labels[`${PSA}/${mode}-version`] = `v1.${minor}`;
  }
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

interface AdmitResult {
  /** Rejections and warnings, one line each: must be empty. */
  readonly problems: string[];
  readonly admitted: number;
  readonly namespaces: number;
  /** Second sends of pod-bearing objects to a namespace enforcing their declared level. */
  readonly declaredChecks: number;
}

/** Sends an input's objects as the file comment explains. */
async function admit(objects: readonly InputObject[]): Promise<AdmitResult> {
  const problems: string[] = [];
  let admitted = 0;
  let declaredChecks = 0;
  const record = (o: InputObject, r: Reply, where = '') => {
    if (r.status >= 300) problems.push(`${describeObj(o)}${where}: rejected: ${statusOf(r)}`);
    else admitted++;
    for (const w of r.warnings) problems.push(`${describeObj(o)}${where}: warning: ${w}`);
  };

  const namespaces = objects.filter((o) => o.manifest.kind === 'Namespace' && o.manifest.apiVersion === 'v1');
  for (const o of namespaces) {
    const p = await ensureNamespace(o.manifest);
    problems.push(...p.map((x) => `${o.source}: ${x}`));
    if (p.length === 0) admitted++;
  }
  const rest = objects.filter((o) => !namespaces.includes(o));
  // namespaces the objects live in that the input does not create: as they are (no Pod Security labels)
  for (const ns of new Set(rest.filter((o) => kube.isNamespaced(o.manifest)).map((o) => o.manifest.metadata?.namespace ?? 'default'))) {
    if (!created.has(ns)) problems.push(...await ensureNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  }
  // ServiceAccounts for real: the pods that name them are admitted only when they exist
  const serviceAccounts = rest.filter((o) => o.manifest.kind === 'ServiceAccount' && o.manifest.apiVersion === 'v1');
  for (const o of serviceAccounts) {
    const r = await kube.create(o.manifest, { dryRun: false });
    record(o, r.status === 409 ? { ...r, status: 200 } : r);
  }
  for (const o of rest.filter((x) => !serviceAccounts.includes(x))) {
    record(o, await kube.create(o.manifest, { dryRun: true }));
    const ns = o.manifest.metadata?.namespace ?? 'default';
    const declared = o.manifest.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
    if (POD_KINDS.has(o.manifest.kind) && declared !== undefined) {
      // the level it declares, at its chart's target version (when its namespace does not already
      // enforce a level) and at the server's newest policy version
      const minors = new Set<number>([serverMinor]);
      if (created.get(ns)?.[`${PSA}/enforce`] === undefined) minors.add(Number((o.version ?? '1.27').split('.')[1]));
      for (const minor of minors) {
        const target = levelNamespace(declared, minor);
        problems.push(...await ensureNamespace(target));
        // a Pod is admitted only when its ServiceAccount exists in its namespace (templates are not checked)
        const sa = o.manifest.kind === 'Pod' ? o.manifest.spec?.serviceAccountName : undefined;
        if (sa !== undefined && sa !== 'default') {
          await kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: target.metadata.name } }, { dryRun: false });
        }
        const copy = { ...o.manifest, metadata: { ...o.manifest.metadata, namespace: target.metadata.name } };
        record({ ...o, manifest: copy }, await kube.create(copy, { dryRun: true }), ` (in ${target.metadata.name}, enforcing the level it declares)`);
        declaredChecks++;
      }
    }
  }
  return { problems, admitted, namespaces: namespaces.length, declaredChecks };
}

describe('the API server', () => {
  test('is the real kube-apiserver this module builds, with Pod Security Admission on', async () => {
    const v = await kube.version();
    const gomod = fs.readFileSync(path.join(ROOT, 'test/apiserver/go.mod'), 'utf8');
    const pinned = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(gomod)![1];
    expect(v.gitVersion).toBe(pinned);
    // Pod Security Admission answers: a privileged pod in a namespace enforcing restricted is refused
    await ensureNamespace(levelNamespace('restricted', serverMinor));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: `declared-restricted-v1-${serverMinor}` }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] } };
    const r = await kube.create(pod, { dryRun: true });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain(`violates PodSecurity "restricted:v1.${serverMinor}"`);
  });
});

describe.each(INPUTS.map((i) => [i.name, i] as const))('%s', (_name, input) => {
  test('every object is admitted with fieldValidation=Strict (dry-run), with 0 warnings', async () => {
    // GIVEN the input's objects
    const { objects, note } = objectsOf(input);
    expect(objects.length).toBeGreaterThan(0);
    // WHEN its namespaces are created and every other object is sent with server-side dry-run
    const r = await admit(objects);
    say(`apiserver: ${input.name}: ${objects.length} objects (${r.namespaces} Namespaces created for real, the rest dry-run), ` +
      `${r.declaredChecks} second sends of pod-bearing ones to a namespace enforcing their declared level (at their target and at v1.${serverMinor}): ` +
      `${r.admitted} admissions, ${r.problems.length} rejections or warnings; ${note}`);
    // THEN none is rejected and none draws a warning
    expect(r.problems).toEqual([]);
    expect(r.admitted).toBe(objects.length + r.declaredChecks);
  }, 600_000);
});

describe('negative controls: what must be refused is refused', () => {
  const SEED = path.join(__dirname, 'fixtures', 'seed');

  test.each(['two-containers.as-written.yaml', 'javaweb-2.as-written.yaml'])('the seed\'s %s, exactly as written, is rejected', async (file) => {
    // GIVEN the note's YAML byte for byte (mis-indented, and with `contaners`)
    const text = fs.readFileSync(path.join(SEED, file), 'utf8');
    await ensureNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed-as-written' } });
    // WHEN sent as YAML, as kubectl apply would send the file
    const r = await kube.request('POST', '/api/v1/namespaces/seed-as-written/pods?dryRun=All&fieldValidation=Strict', text, 'application/yaml');
    // THEN the API server refuses it: it is not even YAML
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^the object provided is unrecognized \(must be of type Pod\): yaml: line \d+: mapping values are not allowed in this context/);
  });

  test('the seed\'s javaweb-2 with its indentation repaired is rejected for the `contaners` typo', async () => {
    const [o] = parseYamlDocuments(fs.readFileSync(path.join(SEED, 'javaweb-2.indentation-repaired.yaml'), 'utf8'), 'javaweb-2');
    const r = await kube.create({ ...o.manifest, metadata: { ...o.manifest.metadata, namespace: 'seed-as-written' } }, { dryRun: true });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('strict decoding error: unknown field "spec.contaners"');
  });

  test('the seed-faithful privileged pods (dist/seed.k8s.yaml) are rejected in a namespace enforcing restricted, naming what they break', async () => {
    // GIVEN the seed's pods as the library writes them faithfully (hostPath, hostPort)
    const pods = parseYamlDocuments(fs.readFileSync(path.join(ROOT, 'dist/seed.k8s.yaml'), 'utf8'), 'dist/seed.k8s.yaml')
      .filter((o) => o.manifest.kind === 'Pod');
    expect(pods.map((p) => p.manifest.metadata.name).sort()).toEqual(['javaweb-2', 'two-containers']);
    const ns = levelNamespace('restricted', 27);
    await ensureNamespace(ns);
    for (const p of pods) {
      // WHEN each is sent to a namespace enforcing restricted
      const r = await kube.create({ ...p.manifest, metadata: { ...p.manifest.metadata, namespace: ns.metadata.name } }, { dryRun: true });
      // THEN it is refused by Pod Security Admission
      expect(r.status).toBe(403);
      expect(r.body.message).toContain('violates PodSecurity "restricted:v1.27"');
    }
    const messages = await Promise.all(pods.map(async (p) => (await kube.create({ ...p.manifest, metadata: { ...p.manifest.metadata, namespace: ns.metadata.name } }, { dryRun: true })).body.message));
    expect(messages.join('\n')).toContain('restricted volume types (volume "shared-data" uses restricted volume type "hostPath")');
    expect(messages.join('\n')).toContain('hostPort (container "tomcat" uses hostPort 8001)');
  });

  test.each([
    ['CHOWN', 'baseline'],
    ['SYS_PTRACE', 'privileged'],
  ])('a DebugSidecar adding %s declares %s: rejected under restricted, admitted with 0 warnings under the level it declares', async (cap, level) => {
    // GIVEN a hardened Pod with a DebugSidecar that adds a capability
    const app = Testing.app();
    const chart = new Chart(app, 'control');
    setKubernetesVersion(chart, KubernetesVersion.V1_33);
    const { workload } = buildWorkload(chart, { kind: 'Pod', appName: 'app', appHardened: true });
    new DebugSidecar(chart, 'debug', { workload, addCapabilities: [cap] });
    const pod = synthToMemory(app).charts.flatMap((c) => c.objects.map((o) => o.manifest)).find((m) => m.kind === 'Pod');
    expect(pod.metadata.annotations[POD_SECURITY_ANNOTATION]).toBe(level);
    const send = async (l: string) => {
      const ns = levelNamespace(l, 33);
      await ensureNamespace(ns);
      return kube.create({ ...pod, metadata: { ...pod.metadata, namespace: ns.metadata.name } }, { dryRun: true });
    };
    // WHEN it is sent to a namespace enforcing restricted, THEN it is refused for the capability
    const restricted = await send('restricted');
    expect(restricted.status).toBe(403);
    expect(restricted.body.message).toContain('violates PodSecurity "restricted:v1.33": unrestricted capabilities');
    expect(restricted.body.message).toContain(`"${cap}"`);
    // WHEN it is sent to a namespace enforcing the level it declares, THEN it is admitted, with no warning
    const declared = await send(level);
    expect({ status: declared.status, warnings: declared.warnings }).toEqual({ status: 201, warnings: [] });
  });

  test('a Deployment whose pods break its namespace\'s level is admitted by the server with a Pod Security warning, which the harness counts as a problem', async () => {
    // GIVEN a Deployment with a DebugSidecar adding CHOWN (declares baseline), placed in a namespace enforcing restricted
    const app = Testing.app();
    const chart = new Chart(app, 'control');
    setKubernetesVersion(chart, KubernetesVersion.V1_33);
    const { workload } = buildWorkload(chart, { kind: 'Deployment', appName: 'app', appHardened: true, namespace: 'declared-restricted-v1-33' });
    new DebugSidecar(chart, 'debug', { workload, addCapabilities: ['CHOWN'] });
    const deployment = synthToMemory(app).charts.flatMap((c) => c.objects.map((o) => o.manifest)).find((m) => m.kind === 'Deployment');
    await ensureNamespace(levelNamespace('restricted', 33));
    // WHEN it goes through the same path as every input's objects
    const r = await admit([{ source: 'control', manifest: deployment }]);
    // THEN the server admitted it (enforcement applies to Pods only) but warned, and the warning is a problem;
    // its second send, to a namespace enforcing the level it declares (baseline at v1.37), drew none
    expect(r.admitted).toBe(2);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain('warning: would violate PodSecurity "restricted:v1.33": unrestricted capabilities');
  });

  /** Builds and synthesizes a SharedVolumePod in a chart whose id has "_" (the library names its Pod "my_chart-pod-c82e2a79"). */
  function synthUnderscoreChart() {
    const app = Testing.app();
    const chart = new Chart(app, 'my_chart');
    new SharedVolumePod(chart, 'pod', { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine', mountPath: '/html' }] });
    return synthToMemory(app);
  }

  test('a name with "_" (chart id "my_chart": Pod "my_chart-pod-c82e2a79") is rejected by the API server as not a DNS-1123 name', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'my_chart-pod-c82e2a79', namespace: 'default' }, spec: { containers: [{ name: 'nginx', image: 'nginxinc/nginx-unprivileged:1.27.5-alpine' }] } };
    let libraryPod: any;
    try {
      libraryPod = synthUnderscoreChart().charts.flatMap((c) => c.objects.map((o) => o.manifest)).find((m) => m.kind === 'Pod');
    } catch {
      libraryPod = undefined; // the library refuses it (#11): the server-side assertion below stands alone
    }
    if (libraryPod) expect(libraryPod.metadata.name).toBe(pod.metadata.name); // it is the name the library writes today
    await ensureNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const r = await kube.create(pod, { dryRun: true });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('Pod "my_chart-pod-c82e2a79" is invalid: metadata.name: Invalid value: "my_chart-pod-c82e2a79"');
    expect(r.body.message).toContain('RFC 1123');
  });

  // the library-side check (issue #11, lib/synth/metadata.ts): the same chart id is refused at synth,
  // with the rule the server applies (DNS-1123 subdomain for a Pod's name) and how to fix it
  test('the library refuses the same chart id at synth, as the server does', () => {
    expect(errorOf(synthUnderscoreChart)).toBe('Synthesis failed with 1 error:\n'
      + '  [my_chart/pod/Pod/Resource] metadata.name: received "my_chart-pod-c82e2a79"; expected a DNS-1123 subdomain: at most 253 lowercase letters,'
      + ' digits, "-" or ".", starting and ending with a letter or digit (the API server\'s rule for a Pod\'s name); the name is generated from the'
      + ' construct path: give the chart and constructs ids of lowercase letters, digits and "-" (or set metadata.name)');
  });
});
