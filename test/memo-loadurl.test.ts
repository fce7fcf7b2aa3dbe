/**
 * The unit suite's setup (test/util/memo-loadurl.js) reads a local file that cdk8s's `Include`
 * loads instead of spawning cdk8s's loader program: it must give what that program prints, and
 * only for the program it mirrors.
 */
import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

const LOADER = path.join(path.dirname(require.resolve('cdk8s/package.json')), 'lib', '_loadurl.mjs');

/** CPU clock ticks of this process's waited-for children (Linux /proc/self/stat cutime + cstime): a spawned Node.js process adds a few. */
function childTicks(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf-8').replace(/^.*\) /, '').split(' ');
  return Number(fields[13]) + Number(fields[14]);
}

/** What cdk8s's loader program prints for `file`, run for real (spawnSync is not the call the setup reads). */
const printed = (script: string, file: string) => childProcess.spawnSync(process.execPath, [script, file], { encoding: 'utf-8' }).stdout;

describe('the unit suite reads a local file as cdk8s\'s loader prints it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memo-loadurl-'));
  const file = path.join(dir, 'objects.yaml');
  // multi-byte UTF-8, a byte that is not UTF-8 (0xff), no final newline
  fs.writeFileSync(file, Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: "caf\u00e9 \u6f22" }\ndata: { k: "'), Buffer.from([0xff]), Buffer.from('" }')]));

  test('GIVEN a local file of multi-byte and invalid UTF-8 WHEN cdk8s loads it THEN it reads what the loader program prints, without spawning it', () => {
    const before = childTicks();
    const text = childProcess.execFileSync(process.execPath, [LOADER, file], { encoding: 'utf-8', maxBuffer: 10 * 1024 * 1024 }).toString();
    expect(childTicks()).toBe(before);
    expect(text).toBe(printed(LOADER, file));
    expect(Yaml.load(file)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'caf\u00e9 \u6f22' }, data: { k: '\ufffd' } }]);
  });

  test('GIVEN a loader program other than the one mirrored WHEN it is asked for a local file THEN it is run', () => {
    // a program at a path of the same shape, whose text differs: the setup must not stand in for it
    const other = path.join(dir, 'node_modules', 'cdk8s', 'lib', '_loadurl.mjs');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, 'process.stdout.write("printed by the other program");\n');
    const before = childTicks();
    expect(childProcess.execFileSync(process.execPath, [other, file], { encoding: 'utf-8' }).toString()).toBe('printed by the other program');
    // (and the probe of the test above sees a spawned process)
    expect(childTicks()).toBeGreaterThan(before);
  });
});
