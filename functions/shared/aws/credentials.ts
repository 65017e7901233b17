import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  type STSClient,
} from '@aws-sdk/client-sts';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@smithy/types';
import { AwsCallError, toAwsCallError } from '../errors.js';

// Refresh this long before expiry, so a long scan never signs with stale keys.
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * The role the rule acts as in a member account:
 * `arn:<partition>:iam::<account>:role/<name>`. The partition comes from the
 * Config rule's ARN, never assumed to be `aws`.
 */
const executionRoleArn = (
  partition: string,
  accountId: string,
  roleName: string
): string => `arn:${partition}:iam::${accountId}:role/${roleName}`;

/**
 * A credentials provider that assumes `roleArn` with the given (regional)
 * STS client and refreshes before expiry.
 *
 * @param sts - created once per container by the caller
 * @param caller - who assumes the role, for the AccessDenied message
 * @param now - the clock, in epoch milliseconds (injected by tests)
 */
const assumedRoleCredentials = (
  sts: STSClient,
  roleArn: string,
  sessionName: string,
  caller: string,
  now: () => number = Date.now
): AwsCredentialIdentityProvider => {
  let cached: AwsCredentialIdentity | undefined;
  return async () => {
    const expires = cached?.expiration?.getTime() ?? 0;
    if (cached && expires - now() > REFRESH_MARGIN_MS) return cached;
    let response: AssumeRoleCommandOutput;
    try {
      response = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: 900,
        })
      );
    } catch (error) {
      throw toAwsCallError(
        error,
        'sts:AssumeRole',
        `${caller} (assuming ${roleArn})`
      );
    }
    const credentials = (response as { Credentials?: Record<string, unknown> })
      .Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new AwsCallError(
        'sts:AssumeRole',
        `sts:AssumeRole returned no credentials for ${roleArn}`
      );
    }
    cached = {
      accessKeyId: String(credentials.AccessKeyId),
      secretAccessKey: String(credentials.SecretAccessKey),
      sessionToken: credentials.SessionToken
        ? String(credentials.SessionToken)
        : undefined,
      expiration:
        credentials.Expiration instanceof Date
          ? credentials.Expiration
          : undefined,
    };
    return cached;
  };
};

export { assumedRoleCredentials, executionRoleArn };
