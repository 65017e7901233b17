import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  assumedRoleCredentials,
  executionRoleArn,
} from '../../../functions/shared/aws/credentials.js';
import { AccessDeniedError } from '../../../functions/shared/errors.js';

const sts = mockClient(STSClient);

// The tests' clock: credentials expire relative to it, never to the wall.
const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const clock = () => NOW;

const credentialsExpiringIn = (ms: number) => ({
  Credentials: {
    AccessKeyId: 'ASIAEXAMPLE',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(NOW + ms),
  },
});

describe('executionRoleArn', () => {
  it.each([
    ['aws', 'arn:aws:iam::111122223333:role/VpceGuardMember'],
    ['aws-cn', 'arn:aws-cn:iam::111122223333:role/VpceGuardMember'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::111122223333:role/VpceGuardMember'],
  ])('builds the member role ARN in the %s partition', (partition, arn) => {
    expect(executionRoleArn(partition, '111122223333', 'VpceGuardMember')).toBe(
      arn
    );
  });
});

describe('assumedRoleCredentials', () => {
  beforeEach(() => {
    sts.reset();
  });

  it('assumes the role once and reuses the credentials until near expiry', async () => {
    // Arrange
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringIn(15 * 60 * 1000));
    const provider = assumedRoleCredentials(
      new STSClient({ region: 'us-east-1' }),
      'arn:aws:iam::111122223333:role/Member',
      'vpce-guard-test',
      'the function role',
      clock
    );

    // Act
    const first = await provider();
    const second = await provider();

    // Assert
    expect(first).toEqual(second);
    expect(first.accessKeyId).toBe('ASIAEXAMPLE');
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::111122223333:role/Member',
      RoleSessionName: 'vpce-guard-test',
    });
  });

  it('assumes the role again when the credentials are about to expire', async () => {
    // Arrange: expiring within the refresh margin
    sts.on(AssumeRoleCommand).resolves(credentialsExpiringIn(60 * 1000));
    const provider = assumedRoleCredentials(
      new STSClient({ region: 'us-east-1' }),
      'arn:aws:iam::111122223333:role/Member',
      's',
      'the function role',
      clock
    );

    // Act
    await provider();
    await provider();

    // Assert
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('names the action and the role when AssumeRole is denied', async () => {
    // Arrange
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDenied',
        $metadata: {},
      })
    );
    const provider = assumedRoleCredentials(
      new STSClient({ region: 'us-east-1' }),
      'arn:aws:iam::111122223333:role/Member',
      's',
      'the function role',
      clock
    );

    // Act and Assert
    await expect(provider()).rejects.toThrow(AccessDeniedError);
    await expect(provider()).rejects.toThrow(
      'access denied: the function role (assuming arn:aws:iam::111122223333:role/Member) may not call sts:AssumeRole'
    );
  });
});
