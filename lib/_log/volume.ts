/** The LogSidecar's shared log volume: its size limit, a cdk8s Size, checked and written as a Kubernetes quantity. */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Problems } from '../_pod/rules';

/** The default log volume size limit, as written. */
export const DEFAULT_LOG_VOLUME_SIZE_LIMIT = '512Mi';

const MIB = 2 ** 20;
/** The largest size limit accepted: 1 TiB. */
const MAX_BYTES = 2 ** 40;

/** A size limit in bytes and as written (`"512Mi"`, or `"<n>Gi"` for whole gibibytes). */
export interface VolumeSize {
  readonly bytes: number;
  readonly quantity: string;
}

/**
 * Checks a `volumeSizeLimit` (a cdk8s Size of whole mebibytes, 1 MiB to 1 TiB; its type was
 * checked before) and returns it in bytes and as the quantity written into the emptyDir; the
 * default (undefined) is {@link DEFAULT_LOG_VOLUME_SIZE_LIMIT}.
 */
export function checkVolumeSize(problems: Problems, prop: string, size: Size | undefined): VolumeSize | undefined {
  if (size === undefined) return { bytes: 512 * MIB, quantity: DEFAULT_LOG_VOLUME_SIZE_LIMIT };
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  const bytes = kib * 1024;
  if (!(Number.isInteger(bytes / MIB) && bytes >= MIB && bytes <= MAX_BYTES)) {
    problems.add(prop, `${kib} KiB`, 'a whole number of mebibytes from 1 MiB to 1 TiB, e.g. Size.mebibytes(512) or Size.gibibytes(1)');
    return undefined;
  }
  const mib = bytes / MIB;
  return { bytes, quantity: mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi` };
}
