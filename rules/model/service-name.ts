/**
 * Where a VPC endpoint service name comes from.
 *
 * - `aws`: an AWS service, `<prefix>.<region>.<svc>` (`com.amazonaws`, or
 *   the partition's own prefix such as `cn.com.amazonaws`), or a service
 *   without a Region, `<prefix>.<svc>` (`com.amazonaws.s3-global.accesspoint`);
 * - `customer`: a PrivateLink service of some account,
 *   `<prefix>.vpce.<region>.vpce-svc-…`;
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
   * `s3-global.accesspoint`, `vpce-svc-0123…`, `notebook`. `ec2` is not
   * `ec2messages`, `s3` is not `s3express`.
   */
  readonly label: string;
}

/**
 * The prefixes of AWS service names in the commercial and China Regions.
 * Callers that know the partition pass its own (the edge derives them from
 * the AWS SDK's partition table: `functions/shared/formats/partitions.ts`).
 */
const DEFAULT_SERVICE_PREFIXES: readonly string[] = [
  'com.amazonaws',
  'cn.com.amazonaws',
];

// Region ids: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1,
// us-isob-east-1. A shape, not a list: which Regions exist is the SDK's
// business, and a new one must parse the day it opens.
const REGION = '[a-z]{2,}(?:-[a-z]+)+-\\d+';
const REGION_AT_START = new RegExp(`^(${REGION})\\.(.+)$`);
const SAGEMAKER = new RegExp(`^aws\\.sagemaker\\.(${REGION})\\.(.+)$`);

/** The part of `name` after `prefix.`, or `undefined`. */
const after = (name: string, prefix: string): string | undefined =>
  name.startsWith(`${prefix}.`) ? name.slice(prefix.length + 1) : undefined;

const parseAfterPrefix = (
  name: string,
  rest: string
): ServiceName | undefined => {
  const customer = after(rest, 'vpce');
  const customerMatch =
    customer === undefined ? null : REGION_AT_START.exec(customer);
  if (customerMatch?.[1] && customerMatch[2]) {
    return {
      name,
      origin: 'customer',
      region: customerMatch[1],
      label: customerMatch[2],
    };
  }
  const regional = REGION_AT_START.exec(rest);
  if (regional?.[1] && regional[2]) {
    return { name, origin: 'aws', region: regional[1], label: regional[2] };
  }
  // No Region: the label is everything after the prefix.
  return rest === ''
    ? undefined
    : { name, origin: 'aws', region: undefined, label: rest };
};

/**
 * Parses an endpoint service name (or an AWS-managed prefix-list name, which
 * uses the same scheme).
 *
 * @param prefixes - the AWS service-name prefixes of the partition; the
 *   longest matching one wins (`cn.com.amazonaws` before `com.amazonaws`)
 * @example
 * parseServiceName('cn.com.amazonaws.cn-north-1.s3')
 * // { origin: 'aws', region: 'cn-north-1', label: 's3', … }
 * parseServiceName('com.amazonaws.s3-global.accesspoint')
 * // { origin: 'aws', region: undefined, label: 's3-global.accesspoint', … }
 */
const parseServiceName = (
  name: string,
  prefixes: readonly string[] = DEFAULT_SERVICE_PREFIXES
): ServiceName => {
  const sagemaker = SAGEMAKER.exec(name);
  if (sagemaker?.[1] && sagemaker[2]) {
    return {
      name,
      origin: 'sagemaker',
      region: sagemaker[1],
      label: sagemaker[2],
    };
  }
  const longestFirst = [...prefixes].sort((a, b) => b.length - a.length);
  for (const prefix of longestFirst) {
    const rest = after(name, prefix);
    const parsed =
      rest === undefined ? undefined : parseAfterPrefix(name, rest);
    if (parsed) return parsed;
  }
  return { name, origin: 'unknown', region: undefined, label: name };
};

/**
 * True when `name` is the AWS service `label` in `region`, in whichever
 * naming scheme of the partition.
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
