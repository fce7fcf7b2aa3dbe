/**
 * Replaces an output directory in one step: files go to a temporary sibling directory, which then
 * takes the old directory's place. On any failure the old directory is left (or put back) as it was.
 */
import * as fs from 'fs';
import * as path from 'path';

const DIRECTORY_MODE = 0o777;

/** The process umask, read without changing it for longer than this call. */
function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

/** Writes `files` (name -> content) as the whole new content of `outdir`. */
export function replaceDirectory(outdir: string, files: ReadonlyMap<string, string>): void {
  const parent = path.dirname(path.resolve(outdir));
  const base = path.basename(outdir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `${base}.tmp-`));
  try {
    // mkdtemp creates the directory 0700; give it the mode a plain mkdir would (0777 less the umask)
    fs.chmodSync(tmp, DIRECTORY_MODE & ~currentUmask());
    for (const [name, content] of files) fs.writeFileSync(path.join(tmp, name), content);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = fs.existsSync(outdir) ? `${tmp.replace(/\.tmp-/, '.old-')}` : undefined;
  if (old) fs.renameSync(outdir, old);
  try {
    fs.renameSync(tmp, outdir);
  } catch (e) {
    if (old) fs.renameSync(old, outdir);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}
