import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag finding on a construct, with the evidence that
 * makes it acceptable. Every suppression in infra/ goes through here, so
 * `grep acknowledgeNag` lists them all.
 *
 * @param finding - the rule id, narrowed to one finding where cdk-nag
 *   reports several (e.g. `AwsSolutions-IAM5[Resource::*]`)
 */
const acknowledgeNag = (
  scope: IConstruct,
  finding: string,
  reason: string
): void => {
  Validations.of(scope).acknowledge({ id: finding, reason });
};

export { acknowledgeNag };
