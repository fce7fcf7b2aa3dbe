/**
 * Every image the example charts use, pinned in one place. Each tag exists on Docker Hub; the
 * hardened variants use images that run as a non-root user with a read-only root filesystem.
 */
export const IMAGES = {
  /** Stock nginx (runs as root, listens on 80): the seed's `nginx`, pinned. */
  nginx: 'nginx:1.27.5',
  /** nginx built to run as uid 101 on port 8080, pid and caches under /tmp. */
  nginxUnprivileged: 'nginxinc/nginx-unprivileged:1.27.5-alpine',
  /** The seed's `debian`, pinned. */
  debian: 'debian:12.8-slim',
  /** The seed's artifact image: carries /sample.war. */
  sampleWar: 'resouer/sample:v2',
  /** The seed's application server image: Tomcat 7 started by /root/apache-tomcat-7.0.42-v2/bin/start.sh. */
  seedTomcat: 'resouer/tomcat:7.0',
} as const;
