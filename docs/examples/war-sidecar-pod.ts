import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { WarSidecarPod } from '../../lib';

/** Tomcat serves a .war that an init container copies out of its own image. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new WarSidecarPod(this, 'shop', {
      metadata: { name: 'shop' },
      artifactImage: 'resouer/sample:v2', // carries /sample.war; versions apart from Tomcat
      artifactPath: '/sample.war',
    });
  }
}
