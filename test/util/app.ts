import { randomBytes } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';

/**
 * A test app, as cdk8s's `Testing.app()` makes one, except that its outdir (a fresh path in the
 * run's temporary directory) is made only when the app is synthesized to disk (cdk8s's
 * `App.synth` makes it). Most tests render in memory: `Testing.app()` made a directory for each
 * of the ~1,400 apps of a run, at ~0.25 ms of system time each, and removing them at the end of
 * the run took 0.1-1.7 s of the suite's wall time on this machine.
 */
export function testApp(): App {
  return new App({ outdir: path.join(os.tmpdir(), `cdk8s.outdir.${process.pid}.${randomBytes(6).toString('hex')}`) });
}
