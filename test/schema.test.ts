/**
 * The strict Kubernetes schema validator (lib/synth/schema.ts) against hand-written manifests of
 * each vendored version: what passes, and the pointer and message of what does not.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubernetesVersion, SchemaViolation, SUPPORTED_KUBERNETES_VERSIONS, validateManifest } from '../lib/synth/schema';
import { share } from './util/depth';
import { parseMinor, schemaVersionFor } from '../lib/_pod/version';

const VERSIONS: readonly KubernetesVersion[] = SUPPORTED_KUBERNETES_VERSIONS;
/**
 * The versions the per-version expectations run on: in `npm test` the oldest, the newest and
 * every third between (each version's validators compile apart, ~0.1 s each); every one in the
 * deep run (test/util/depth.ts). Every version still reads its own schema in npm test (below).
 */
const EACH_VERSION = share(VERSIONS, (_v, i) => i % 3 === 0 || i === VERSIONS.length - 1);

function container(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    name: 'app',
    image: 'nginx:1.25',
    ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    ...extra,
  };
}

function podSpec(): Record<string, any> {
  return {
    volumes: [{ name: 'shared', emptyDir: {} }],
    initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi > /s/x'], volumeMounts: [{ name: 'shared', mountPath: '/s' }] }],
    containers: [container({ volumeMounts: [{ name: 'shared', mountPath: '/s', readOnly: true }] })],
    restartPolicy: 'Always',
  };
}

function pod(): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'x' } }, spec: podSpec() };
}

function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec() },
    },
  };
}

function service(): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

function configMap(): Record<string, any> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { 'app.properties': 'a=b\n' }, binaryData: { blob: 'aGVsbG8=' } };
}

function job(): Record<string, any> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once' },
    spec: { backoffLimit: 2, ttlSecondsAfterFinished: 60, template: { spec: { ...podSpec(), restartPolicy: 'Never' } } },
  };
}

const VALID: ReadonlyArray<[string, () => Record<string, any>]> = [
  ['Pod', pod], ['Deployment', deployment], ['Service', service], ['ConfigMap', configMap], ['Job', job],
];

/** The violations as "path: message" lines, for readable failures. */
function lines(violations: readonly SchemaViolation[]): string[] {
  return violations.map((v) => `${v.path}: ${v.message}`);
}

describe('validateManifest', () => {
  test.each(VERSIONS)('on Kubernetes %s, reads that version\'s own schema: accepts a valid ConfigMap, reports a misspelled field of it', (version) => {
    expect(lines(validateManifest(configMap(), version))).toEqual([]);
    expect(validateManifest({ ...configMap(), datas: {} }, version)).toEqual([{ path: '/datas', message: 'unknown field "datas"; did you mean "data"?' }]);
  });

  describe.each(EACH_VERSION)('on Kubernetes %s', (version) => {
    test.each(VALID)('accepts a valid %s', (_kind, make) => {
      // GIVEN a valid manifest
      const manifest = make();
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN nothing is reported
      expect(lines(violations)).toEqual([]);
    });

    test('reports an unknown top-level field by its pointer and name', () => {
      // GIVEN a Pod with a field Kubernetes does not know at its top level
      const manifest = { ...pod(), specs: {} };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN exactly that field is reported, with the field it was likely meant to be
      expect(violations).toEqual([{ path: '/specs', message: 'unknown field "specs"; did you mean "spec"?' }]);
    });

    test('reports an unknown field in a spec by its pointer', () => {
      // GIVEN a Deployment whose spec has an unknown field
      const manifest = deployment();
      manifest.spec.replica = 2;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the field is reported with its pointer, and the likely intended field is suggested
      expect(violations).toEqual([{ path: '/spec/replica', message: 'unknown field "replica"; did you mean "replicas"?' }]);
    });

    test('reports an unknown field in a container by its pointer', () => {
      // GIVEN a Pod whose first container has an unknown field
      const manifest = pod();
      manifest.spec.containers[0].sidecar = true;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the pointer names the container by index and the field by name
      expect(violations).toEqual([{ path: '/spec/containers/0/sidecar', message: 'unknown field "sidecar"' }]);
    });

    test('reports an unknown field inside a pod template by its full pointer', () => {
      // GIVEN a Deployment whose pod template's init container has an unknown field
      const manifest = deployment();
      manifest.spec.template.spec.initContainers[0].imagePullPolicyy = 'Always';
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the pointer goes all the way down
      expect(violations).toEqual([{
        path: '/spec/template/spec/initContainers/0/imagePullPolicyy',
        message: 'unknown field "imagePullPolicyy"; did you mean "imagePullPolicy"?',
      }]);
    });

    test('reports a string where an integer is required (containerPort: "80")', () => {
      // GIVEN a container port given as a string
      const manifest = pod();
      manifest.spec.containers[0].ports[0].containerPort = '80';
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN it is reported as a type error, with what was received
      expect(violations).toEqual([{ path: '/spec/containers/0/ports/0/containerPort', message: 'must be integer (received string "80")' }]);
    });

    test('reports an integer out of the int32 range', () => {
      // GIVEN a container port beyond 2^31-1
      const manifest = pod();
      manifest.spec.containers[0].ports[0].containerPort = 2 ** 31;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the int32 format is reported
      expect(lines(violations)).toEqual([
        '/spec/containers/0/ports/0/containerPort: must be a 32-bit integer (-2147483648 to 2147483647) (received number 2147483648)',
      ]);
    });

    test('reports a fractional number where an int64 is required, once', () => {
      // GIVEN a grace period with a fraction
      const manifest = pod();
      manifest.spec.terminationGracePeriodSeconds = 1.5;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN one type error is reported (not also a format error)
      expect(lines(violations)).toEqual(['/spec/terminationGracePeriodSeconds: must be integer (received number 1.5)']);
    });

    test('reports binaryData that is not base64', () => {
      // GIVEN a ConfigMap with binaryData that is not base64
      const manifest = configMap();
      manifest.binaryData.blob = 'not base64!';
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the byte format is reported at the key
      expect(lines(violations)).toEqual(['/binaryData/blob: must be base64-encoded data (received string "not base64!")']);
    });

    test('reports a kind it does not know', () => {
      // GIVEN a manifest of a kind Kubernetes does not have
      const manifest = { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the kind is reported
      expect(violations).toEqual([{ path: '/kind', message: `unknown kind "Widget" (apiVersion "v1") in Kubernetes ${version}` }]);
    });

    test('suggests the right spelling of a misspelled kind', () => {
      // GIVEN a kind in the wrong case
      const manifest = { ...configMap(), kind: 'Configmap' };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the kind is reported with the known spelling
      expect(violations).toEqual([{ path: '/kind', message: `unknown kind "Configmap" (apiVersion "v1") in Kubernetes ${version}; did you mean "ConfigMap"?` }]);
    });

    test('reports a known kind under an apiVersion that does not serve it, naming the one that does', () => {
      // GIVEN a Deployment under a removed beta apiVersion
      const manifest = { ...deployment(), apiVersion: 'extensions/v1beta1' };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN the apiVersion is reported with the served one
      expect(violations).toEqual([{
        path: '/apiVersion',
        message: `Kubernetes ${version} does not serve kind "Deployment" as apiVersion "extensions/v1beta1"; it serves it as "apps/v1"`,
      }]);
    });

    test('reports a missing apiVersion and kind', () => {
      // GIVEN a manifest without apiVersion and kind
      const manifest = { metadata: { name: 'x' } };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN both are reported as missing
      expect(violations).toEqual([
        { path: '/apiVersion', message: 'required field "apiVersion" is missing' },
        { path: '/kind', message: 'required field "kind" is missing' },
      ]);
    });

    test('reports something that is not an object at the root', () => {
      // GIVEN an array instead of a manifest
      // WHEN it is validated
      const violations = validateManifest([pod()], version);
      // THEN the root is reported
      expect(violations).toEqual([{ path: '', message: 'must be an object with apiVersion and kind (received an array)' }]);
    });

    test('accepts a resource quantity given as a string ("100m") and as a number', () => {
      // GIVEN quantities as strings and as numbers, integral and fractional
      const manifest = pod();
      manifest.spec.containers[0].resources = { requests: { cpu: '100m', memory: 67108864 }, limits: { cpu: 0.5, memory: '128Mi' } };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN nothing is reported
      expect(lines(violations)).toEqual([]);
    });

    test('reports a resource quantity that is neither string nor number, once', () => {
      // GIVEN a quantity given as a boolean
      const manifest = pod();
      manifest.spec.containers[0].resources.limits.cpu = true;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN one violation names both allowed types
      expect(violations).toEqual([{ path: '/spec/containers/0/resources/limits/cpu', message: 'must be string or number (received boolean true)' }]);
    });

    test.each([['a port name', 'http'], ['a port number', 8080]])('accepts an int-or-string targetPort given as %s', (_what, targetPort) => {
      // GIVEN a Service whose targetPort is a name or a number
      const manifest = service();
      manifest.spec.ports[0].targetPort = targetPort;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN nothing is reported
      expect(lines(violations)).toEqual([]);
    });

    test('reports an int-or-string targetPort that is neither, once', () => {
      // GIVEN a targetPort given as an object
      const manifest = service();
      manifest.spec.ports[0].targetPort = { port: 80 };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN one violation names both allowed types
      expect(violations).toEqual([{ path: '/spec/ports/0/targetPort', message: 'must be string or integer (received an object)' }]);
    });

    test('reports labels with non-string values, each by its key', () => {
      // GIVEN labels whose values are a number and a boolean (a key with a slash too)
      const manifest = pod();
      manifest.metadata.labels = { 'app': 'web', 'tier': 2, 'example.com/enabled': true };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN each bad value is reported, the slash escaped in the pointer
      expect(violations).toEqual([
        { path: '/metadata/labels/tier', message: 'must be string (received number 2)' },
        { path: '/metadata/labels/example.com~1enabled', message: 'must be string (received boolean true)' },
      ]);
    });

    test('accepts any keys in maps (labels, annotations, ConfigMap data)', () => {
      // GIVEN maps with arbitrary keys
      const manifest = configMap();
      manifest.metadata.labels = { 'app.kubernetes.io/name': 'x', 'whatever': 'y' };
      manifest.metadata.annotations = { 'example.com/anything-at-all': 'z' };
      manifest.data = { 'any-key.yaml': 'v', 'other': '' };
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN nothing is reported
      expect(lines(violations)).toEqual([]);
    });

    test('reports every problem of a manifest at once', () => {
      // GIVEN a Pod with three independent problems
      const manifest = pod();
      manifest.extra = 1;
      manifest.spec.containers[0].ports[0].containerPort = '80';
      delete manifest.spec.containers[0].name;
      // WHEN it is validated
      const violations = validateManifest(manifest, version);
      // THEN all three are reported
      expect(lines(violations).sort()).toEqual([
        '/extra: unknown field "extra"',
        '/spec/containers/0/name: required field "name" is missing',
        '/spec/containers/0/ports/0/containerPort: must be integer (received string "80")',
      ]);
    });
  });

  describe('native sidecars (initContainers[].restartPolicy: Always)', () => {
    function sidecarPod(): Record<string, any> {
      const manifest = pod();
      manifest.spec.initContainers.push({ name: 'log', image: 'busybox:1.36', restartPolicy: 'Always', args: ['tail', '-F', '/s/log'] });
      return manifest;
    }

    test('are an unknown field on Kubernetes 1.27', () => {
      // GIVEN a Pod with a native sidecar
      const manifest = sidecarPod();
      // WHEN it is validated against 1.27
      const violations = validateManifest(manifest, KubernetesVersion.V1_27);
      // THEN the field is unknown there
      expect(violations).toEqual([{ path: '/spec/initContainers/1/restartPolicy', message: 'unknown field "restartPolicy"' }]);
    });

    test.each([KubernetesVersion.V1_29, KubernetesVersion.V1_33] as const)('are accepted on Kubernetes %s', (version) => {
      // GIVEN a Pod with a native sidecar
      const manifest = sidecarPod();
      // WHEN it is validated against a version that has them
      const violations = validateManifest(manifest, version);
      // THEN nothing is reported
      expect(lines(violations)).toEqual([]);
    });
  });

  describe('caching', () => {
    test('gives the same answer when a kind is validated again (the cached validator is reused)', () => {
      // GIVEN one valid and one invalid Deployment, validated once each already
      const good = deployment();
      const bad = deployment();
      bad.spec.template.spec.containers[0].foo = 1;
      const first = [validateManifest(good, KubernetesVersion.V1_33), validateManifest(bad, KubernetesVersion.V1_33)];
      // WHEN they are validated again, interleaved
      const again = [validateManifest(good, KubernetesVersion.V1_33), validateManifest(bad, KubernetesVersion.V1_33)];
      // THEN the answers are the same: no error state leaks between calls
      expect(again).toEqual(first);
      expect(lines(again[1])).toEqual(['/spec/template/spec/containers/0/foo: unknown field "foo"']);
    });

    test('does not modify the manifest it validates', () => {
      // GIVEN a manifest and a copy of it
      const manifest = deployment();
      const copy = JSON.parse(JSON.stringify(manifest));
      // WHEN it is validated
      validateManifest(manifest, KubernetesVersion.V1_29);
      // THEN it is unchanged
      expect(manifest).toEqual(copy);
    });
  });

  test('throws on a version whose schema is not vendored', () => {
    // GIVEN a version outside the supported ones (reachable from plain JavaScript)
    const version = '1.26' as KubernetesVersion;
    // WHEN a manifest is validated against it
    // THEN it throws, naming the supported versions
    expect(() => validateManifest(pod(), version)).toThrow('expected one of "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"');
  });

  test('lists the supported versions oldest first', () => {
    // GIVEN / WHEN the exported list
    // THEN it is every minor from 1.27 to 1.36, each with its own vendored schema
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
  });

  test.each([
    [KubernetesVersion.V1_31, KubernetesVersion.V1_32, 'resources', { limits: { memory: '128Mi' } }],
    [KubernetesVersion.V1_33, KubernetesVersion.V1_34, 'hostnameOverride', 'web-0'],
  ] as const)('validates each version against its own schema: %s rejects what %s adds (pod.spec.%s)', (older, newer, field, value) => {
    // GIVEN a Pod with a field the newer minor added
    const manifest = pod();
    manifest.spec[field] = value;
    // WHEN it is validated against the minor before and the minor that added it
    // THEN the older minor's own schema rejects the field and the newer one's accepts it: minors do not share a schema
    expect(lines(validateManifest(manifest, older))).toEqual([`/spec/${field}: unknown field "${field}"`]);
    expect(lines(validateManifest(manifest, newer))).toEqual([]);
  });

  test('GIVEN one process compiling two minors, newest first, WHEN a Service is validated THEN each still answers by its own schema (what they have alike is compiled once, what differs is not shared)', () => {
    // GIVEN a fresh process with the validator cache off (both minors compile here, in one compiler)
    const saved = process.env.POD_PATTERNS_CACHE_DIR;
    process.env.POD_PATTERNS_CACHE_DIR = 'off';
    try {
      jest.isolateModules(() => {
        const schema: typeof import('../lib/synth/schema') = require('../lib/synth/schema');
        // (a Service: it compiles in milliseconds; 1.30 added spec.trafficDistribution)
        const service = (extra: Record<string, unknown>, metadata: Record<string, unknown> = { name: 's' }) => ({
          apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { app: 'a' }, ports: [{ port: 80 }], ...extra },
        });
        const manifest = service({ trafficDistribution: 'PreferClose' });
        // WHEN the minor that added the field is compiled first, then the one before it
        const newer = schema.validateManifest(manifest, KubernetesVersion.V1_30);
        const older = schema.validateManifest(manifest, KubernetesVersion.V1_29);
        // THEN the newer accepts it and the older rejects it
        expect(lines(newer)).toEqual([]);
        expect(lines(older)).toEqual(['/spec/trafficDistribution: unknown field "trafficDistribution"']);
        // AND a problem in what both have alike (the object metadata) reads the same in each
        const bad = service({}, { name: 's', lables: { app: 'a' } });
        for (const version of [KubernetesVersion.V1_29, KubernetesVersion.V1_30]) {
          expect(lines(schema.validateManifest(bad, version))).toEqual(['/metadata/lables: unknown field "lables"; did you mean "labels"?']);
        }
      });
    } finally {
      if (saved === undefined) delete process.env.POD_PATTERNS_CACHE_DIR;
      else process.env.POD_PATTERNS_CACHE_DIR = saved;
    }
  });

  test.each([KubernetesVersion.V1_27, KubernetesVersion.V1_36] as const)('GIVEN a kind whose definitions reference each other in a cycle (a CRD\'s JSONSchemaProps) THEN Kubernetes %s checks it at every depth', (version) => {
    // GIVEN a CustomResourceDefinition with a typo two levels into its recursive openAPIV3Schema, and a wrong type
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: 'yes', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', propertiez: {} } } } } }],
      },
    };
    // WHEN it is validated
    // THEN both problems are reported, the nested one with its did-you-mean
    expect(lines(validateManifest(crd, version))).toEqual([
      '/spec/versions/0/schema/openAPIV3Schema/properties/spec/propertiez: unknown field "propertiez"; did you mean "properties"?',
      '/spec/versions/0/storage: must be boolean (received string "yes")',
    ]);
  });

  test('every target minor 1.27-1.36 validates against its own schema (schemaVersionFor is the exact minor)', () => {
    // GIVEN every target a chart may set, and a version outside the range
    const targets = Array.from({ length: 10 }, (_, i) => `1.${27 + i}`);
    // THEN each maps to its own vendored schema, "1.NN.P" to "1.NN"
    expect(targets.map((v) => schemaVersionFor(v))).toEqual(SUPPORTED_KUBERNETES_VERSIONS);
    expect(schemaVersionFor('1.34.2')).toBe('1.34');
    expect(parseMinor('1.37')).toBeUndefined();
  });

  /** The schema files a fresh module registry (a new process) reads while validating two Pods against 1.31, with the validator cache in `cacheDir`. */
  const schemaFilesRead = (cacheDir: string): string[] => {
    const saved = process.env.POD_PATTERNS_CACHE_DIR;
    process.env.POD_PATTERNS_CACHE_DIR = cacheDir;
    let files: string[] = [];
    try {
      jest.isolateModules(() => {
        const fsModule = require('fs');
        const read = jest.spyOn(fsModule, 'readFileSync');
        const schema = require('../lib/synth/schema');
        // a ConfigMap: its validator compiles in a few ms, a Pod's in ~100 (what is read does not depend on the kind)
        schema.validateManifest(configMap(), '1.31');
        schema.validateManifest(configMap(), '1.31');
        files = read.mock.calls.map((c: any[]) => String(c[0])).filter((f: string) => f.endsWith('_definitions.json'));
        read.mockRestore();
      });
    } finally {
      if (saved === undefined) delete process.env.POD_PATTERNS_CACHE_DIR;
      else process.env.POD_PATTERNS_CACHE_DIR = saved;
    }
    return files.map((f: string) => f.split(/[\\/]/).slice(-2).join('/'));
  };

  /**
   * The first "process" of the two tests below, made once for whichever runs first: a fresh
   * validator cache directory, and the schema files that process read while filling it. Removed
   * when the file's tests are done.
   */
  let first: { cacheDir: string; files: string[] } | undefined;
  const firstProcess = () => {
    if (!first) {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-reads-'));
      first = { cacheDir, files: schemaFilesRead(cacheDir) };
    }
    return first;
  };
  afterAll(() => {
    if (first) fs.rmSync(first.cacheDir, { recursive: true, force: true });
  });

  test('reads only the schemas of the versions used (lazily, once each)', () => {
    // GIVEN a fresh module registry, an empty validator cache and a spy on the file reads
    // WHEN two manifests are validated against 1.31
    const { files } = firstProcess();
    // THEN only 1.31's schema file was read, once
    expect(files).toEqual(['v1.31.0/_definitions.json']);
  });

  test('GIVEN the validators cached WHEN a new process validates THEN it reads no schema file (the key of its validators is remembered)', () => {
    // GIVEN a cache filled by a first process
    const { cacheDir, files } = firstProcess();
    expect(files).toEqual(['v1.31.0/_definitions.json']);
    // WHEN a second one validates the same kind against the same version
    // THEN it read no schema: the key was remembered, the validator loaded from the cache
    expect(schemaFilesRead(cacheDir)).toEqual([]);
    // WHEN the schema file's state changes (its change time: as any write would)
    const file = require.resolve('../schemas/k8s/v1.31.0/_definitions.json');
    const st = fs.statSync(file);
    fs.utimesSync(file, st.atime, st.mtime);
    // THEN the next process reads it again to make the key
    expect(schemaFilesRead(cacheDir)).toEqual(['v1.31.0/_definitions.json']);
  });
});
