import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';

const GOLDEN = path.join(__dirname, '..', 'golden');

/**
 * Compares manifests with a reviewed YAML file in test/golden/ (a snapshot people can read, next
 * to the explicit field expectations). `UPDATE_GOLDEN=1` rewrites the file.
 */
export function expectGolden(name: string, manifests: readonly any[]): void {
  const file = path.join(GOLDEN, `${name}.k8s.yaml`);
  const yaml = Yaml.stringify(...manifests);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, yaml);
  }
  if (!fs.existsSync(file)) throw new Error(`no golden file ${path.relative(process.cwd(), file)}: run with UPDATE_GOLDEN=1 and review it`);
  expect(yaml).toBe(fs.readFileSync(file, 'utf-8'));
}
