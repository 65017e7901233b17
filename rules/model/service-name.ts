/**
 * Where a VPC endpoint service name comes from.
 *
 * - `aws`: an AWS service, `com.amazonaws.<region>.<svc>` or, in the China
 *   Regions, `cn.com.amazonaws.<region>.<svc>`;
 * - `customer`: a PrivateLink service of some account,
 *   `com.amazonaws.vpce.<region>.vpce-svc-…`;
 * - `sagemaker`: `aws.sagemaker.<region>.<svc>` (notebook, studio);
 * - `unknown`: anything else (Marketplace and future name schemes).
 */
type ServiceOrigin = 'aws' | 'customer' | 'sagemaker' | 'unknown';

/** A parsed endpoint service or prefix-list name. */
interface ServiceName {
  readonly name: string;
  readonly origin: ServiceOrigin;
  /** Region in the name, `undefined` when the name carries none. */
  readonly region: string | undefined;
  /**
   * The service label, compared exactly: `s3`, `ecr.api`, `execute-api`,
   * `vpce-svc-0123…`, `notebook`. `ec2` is not `ec2messages`, `s3` is not
   * `s3express`.
   */
  readonly label: string;
}

// Region ids: us-east-1, us-gov-west-1, cn-north-1, eu-central-2, us-isob-east-1.
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const PATTERNS: ReadonlyArray<readonly [ServiceOrigin, RegExp]> = [
  ['customer', new RegExp(`^com\\.amazonaws\\.vpce\\.(${REGION})\\.(.+)$`)],
  ['aws', new RegExp(`^(?:cn\\.)?com\\.amazonaws\\.(${REGION})\\.(.+)$`)],
  ['sagemaker', new RegExp(`^aws\\.sagemaker\\.(${REGION})\\.(.+)$`)],
];

/**
 * Parses an endpoint service name (or an AWS-managed prefix-list name, which
 * uses the same scheme).
 *
 * @example
 * parseServiceName('cn.com.amazonaws.cn-north-1.s3')
 * // { origin: 'aws', region: 'cn-north-1', label: 's3', … }
 */
const parseServiceName = (name: string): ServiceName => {
  for (const [origin, pattern] of PATTERNS) {
    const match = pattern.exec(name);
    if (match?.[1] && match[2]) {
      return { name, origin, region: match[1], label: match[2] };
    }
  }
  return { name, origin: 'unknown', region: undefined, label: name };
};

/**
 * True when `name` is the AWS service `label` in `region`, in either the
 * commercial or the China naming scheme.
 */
const isAwsServiceIn = (
  service: ServiceName,
  label: string,
  region: string
): boolean =>
  service.origin === 'aws' &&
  service.region === region &&
  service.label === label;

export type { ServiceName, ServiceOrigin };
export { isAwsServiceIn, parseServiceName };
