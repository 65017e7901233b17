import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  type LoadedAccountRegion,
  loadAccountRegion,
} from '../functions/shared/aws/account-inventory.js';
import { sdkClientConfig } from '../functions/shared/aws/client-config.js';
import { assumedRoleCredentials } from '../functions/shared/aws/credentials.js';
import { InputError, toAwsCallError } from '../functions/shared/errors.js';
import {
  RegionError,
  regionFacts,
} from '../functions/shared/formats/partitions.js';
import type { PreparedRule } from '../rules/model/rule.js';

/** Where `scan --region`/`snapshot` take their credentials from. */
interface AwsSource {
  readonly region: string;
  /** A named profile; without it the standard chain (AWS_PROFILE…) applies. */
  readonly profile?: string;
  /** A role to assume first, for scanning another account. */
  readonly roleArn?: string;
}

const CALLER = 'your credentials';

/**
 * Loads one account-region from the live AWS APIs, reading what `rules`
 * need. Every client honours the standard SDK configuration,
 * AWS_ENDPOINT_URL included, so the whole command can be pointed at an
 * emulator.
 *
 * @param name - names the account-region in messages
 */
const loadLiveAccountRegion = async (
  source: AwsSource,
  rules: readonly PreparedRule[],
  name: string
): Promise<LoadedAccountRegion> => {
  // The Lambda's retries and socket timeouts: a hung connection fails the
  // command instead of hanging it.
  const base = {
    ...sdkClientConfig(source.region),
    ...(source.profile ? { profile: source.profile } : {}),
  };
  const sts = new STSClient(base);
  const credentials = source.roleArn
    ? assumedRoleCredentials(sts, source.roleArn, 'vpce-guard-cli', CALLER)
    : undefined;
  const config = credentials ? { ...base, credentials } : base;
  const identityClient = credentials ? new STSClient(config) : sts;
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await identityClient.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    throw toAwsCallError(
      error,
      'sts:GetCallerIdentity',
      source.roleArn ?? CALLER
    );
  }
  const accountId = identity.Account ?? '';
  // The partition comes from the caller's ARN, never assumed to be `aws`;
  // the SDK's partition table checks the Region against it.
  let partition: string;
  try {
    partition = regionFacts(
      source.region,
      identity.Arn?.split(':')[1]
    ).partition;
  } catch (error) {
    if (error instanceof RegionError) {
      throw new InputError(`--region ${source.region}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  const ec2 = new EC2Client(config);
  const route53 = new Route53Client(config);
  try {
    return await loadAccountRegion(
      { ec2, route53, principal: source.roleArn ?? CALLER },
      { accountId, region: source.region, partition },
      rules,
      name
    );
  } finally {
    ec2.destroy();
    route53.destroy();
  }
};

export type { AwsSource };
export { loadLiveAccountRegion };
