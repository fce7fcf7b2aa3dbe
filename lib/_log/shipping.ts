/**
 * How a LogSidecar gets the app's log files out of the pod: the union-like {@link LogShipping},
 * one static factory per variant. Each variant owns its options, defaults, checks and renderer in
 * its own module (streaming.ts, fluent-bit.ts); this class only carries the choice and the options
 * as given, which the variant checks (from untyped callers too) when the LogSidecar is built.
 */
import type { FluentBitShippingOptions } from './fluent-bit';
import type { StreamingShippingOptions } from './streaming';

/** The kinds of {@link LogShipping}. */
export enum LogShippingKind {
  /** One small container per file prints it to its own stdout (`LogShipping.streaming()`). */
  STREAMING = 'streaming',
  /** One Fluent Bit agent tails every file and ships the records (`LogShipping.fluentBit()`). */
  FLUENT_BIT = 'fluent-bit',
}

/**
 * How a {@link LogSidecar} gets the app's log files out of the pod:
 * - `LogShipping.streaming()`: one small container per file prints it to its own stdout, so the
 *   node's logging agent collects it and `kubectl logs POD -c <container>` shows it.
 * - `LogShipping.fluentBit({ parser, output })`: one Fluent Bit container tails every file and
 *   ships the records to a backend.
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#sidecar-container-with-logging-agent
 */
export class LogShipping {
  /**
   * Stream each file to its own container's stdout (BusyBox `tail -n+1 -F` under a shell that
   * stops on SIGTERM), for the cluster's logging pipeline and `kubectl logs POD -c log-<stem>`.
   * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#streaming-sidecar-container
   */
  public static streaming(options: StreamingShippingOptions = {}): LogShipping {
    return new LogShipping(LogShippingKind.STREAMING, options);
  }

  /**
   * Ship the files with a Fluent Bit agent configured from typed options through a ConfigMap
   * (whose hash on the pod template rolls the pods when it changes).
   * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/#sidecar-container-with-a-logging-agent
   */
  public static fluentBit(options: FluentBitShippingOptions = {}): LogShipping {
    return new LogShipping(LogShippingKind.FLUENT_BIT, options);
  }

  /** The variant. */
  public readonly kind: LogShippingKind;

  /** @internal the options as the caller gave them (checked by the variant, for untyped callers too) */
  public readonly _options: unknown;

  private constructor(kind: LogShippingKind, options: unknown) {
    this.kind = kind;
    this._options = options ?? {};
  }

  /** The shipping as JSON, as error messages show it (e.g. `{"kind":"streaming"}`). */
  public toJSON(): any {
    const o = this._options;
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? { kind: this.kind, ...o } : { kind: this.kind, options: o };
  }
}
