/**
 * The committed kustomization.yaml through the real `kubectl kustomize` (kustomize built into
 * kubectl; .ci/run installs Debian's kubernetes-client when kubectl is missing). Offline: kustomize
 * only reads the files.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');

function kubectl(...args: string[]): string {
  try {
    return execFileSync('kubectl', args, { cwd: ROOT, encoding: 'utf-8', timeout: 30000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('kubectl is not installed: apt-get install kubernetes-client (or any kubectl with kustomize built in)');
    throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

const identity = (m: any) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace ?? '-'}/${m.metadata.name}`;
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter((m) => m);

describe('kubectl kustomize on the repository root', () => {
  const built = docs(kubectl('kustomize', '.'));
  const dist = fs.readdirSync(path.join(ROOT, 'dist')).sort().flatMap((f) => docs(fs.readFileSync(path.join(ROOT, 'dist', f), 'utf-8')));

  test('builds every object of dist/, unchanged, and nothing else', () => {
    expect(built.map(identity).sort()).toEqual(dist.map(identity).sort());
    const byId = new Map(dist.map((m) => [identity(m), m]));
    for (const m of built) expect({ id: identity(m), object: m }).toEqual({ id: identity(m), object: byId.get(identity(m)) });
  });

  test('puts the Namespaces first, before the objects that live in them', () => {
    const kinds = built.map((m) => m.kind);
    const namespaces = kinds.filter((k) => k === 'Namespace').length;
    expect(namespaces).toBe(fs.readdirSync(path.join(ROOT, 'dist')).length);
    expect(kinds.slice(0, namespaces)).toEqual(Array(namespaces).fill('Namespace'));
  });

  test('works on the version of kubectl installed here', () => {
    expect(kubectl('version', '--client')).toMatch(/v1\.\d+/);
  });
});
