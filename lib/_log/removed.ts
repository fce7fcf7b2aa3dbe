/**
 * The LogSidecar props that `shipping` (and the rotation's own `image`) replaced. TypeScript
 * callers get a compile error; untyped callers (JavaScript, config files, jsii languages built
 * against an old version) get a props error naming the prop, the value received and what to
 * write instead, never a silently ignored prop.
 */
import { checkRemovedProps as checkRemoved, Problems, RemovedProps } from '../_pod/rules';

const STREAMING = 'shipping: LogShipping.streaming()';
const FLUENT_BIT = 'shipping: LogShipping.fluentBit({...})';

/** Each removed prop, and what replaces it (given the value received). */
export const REMOVED_LOG_SIDECAR_PROPS: RemovedProps = {
  mode: (v) => (v === 'agent' ? FLUENT_BIT : v === 'streaming' ? `${STREAMING} (the default)` : `${STREAMING} or ${FLUENT_BIT}`),
  streamerImage: () => 'shipping: LogShipping.streaming({ image })',
  agentImage: () => 'shipping: LogShipping.fluentBit({ image })',
  parser: () => 'shipping: LogShipping.fluentBit({ parser })',
  output: () => 'shipping: LogShipping.fluentBit({ output })',
  tagPrefix: () => 'shipping: LogShipping.fluentBit({ tagPrefix })',
  rotatorImage: () => 'the rotation\'s image: LogRotation.signal({ ..., image }) or LogRotation.copyTruncate({ ..., image })',
};

/** Records a problem for each removed prop present in `props`. */
export function checkRemovedProps(problems: Problems, props: object): void {
  checkRemoved(problems, props, REMOVED_LOG_SIDECAR_PROPS, (instead) => `unset (a removed prop): use ${instead} instead`);
}
