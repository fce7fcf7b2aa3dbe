/** The protocol vocabulary of container ports (its own module: rules.ts and container.ts both read it). */

/**
 * The protocol of a container's port. The values are the Kubernetes strings, so untyped callers
 * may pass them.
 * @see https://kubernetes.io/docs/reference/networking/service-protocols/
 */
export enum PortProtocol {
  /** TCP (Kubernetes's default). */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}
