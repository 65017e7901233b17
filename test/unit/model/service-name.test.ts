import { describe, expect, it } from '@jest/globals';
import {
  isAwsServiceIn,
  parseServiceName,
} from '../../../rules/model/service-name.js';

describe('parseServiceName', () => {
  it.each([
    [
      'eu.amazonaws.eusc-de-east-1.ecr.api',
      ['eu.amazonaws', 'com.amazonaws'],
      'ecr.api',
    ],
    ['gov.ic.c2s.us-iso-east-1.s3', ['gov.ic.c2s', 'com.amazonaws'], 's3'],
  ])('reads %s with the prefixes of its partition', (name, prefixes, label) => {
    // Act
    const parsed = parseServiceName(name, prefixes);

    // Assert
    expect(parsed).toMatchObject({ origin: 'aws', label });
  });

  it.each([
    ['com.amazonaws.us-east-1.s3', 'aws', 'us-east-1', 's3'],
    ['cn.com.amazonaws.cn-north-1.s3', 'aws', 'cn-north-1', 's3'],
    ['com.amazonaws.cn-north-1.s3', 'aws', 'cn-north-1', 's3'],
    [
      'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      'customer',
      'us-east-1',
      'vpce-svc-0123456789abcdef0',
    ],
    ['aws.sagemaker.us-east-1.notebook', 'sagemaker', 'us-east-1', 'notebook'],
    ['com.amazonaws.us-gov-west-1.ecr.api', 'aws', 'us-gov-west-1', 'ecr.api'],
    ['com.amazonaws.us-east-1.s3express', 'aws', 'us-east-1', 's3express'],
    ['com.amazonaws.us-east-1.ec2messages', 'aws', 'us-east-1', 'ec2messages'],
    ['com.amazonaws.us-east-1.ec2', 'aws', 'us-east-1', 'ec2'],
    [
      'com.amazonaws.eu-central-2.execute-api',
      'aws',
      'eu-central-2',
      'execute-api',
    ],
    ['com.amazonaws.us-east-1.s3-fips', 'aws', 'us-east-1', 's3-fips'],
    ['com.amazonaws.eusc-de-east-1.s3', 'aws', 'eusc-de-east-1', 's3'],
    ['com.amazonaws.us-isob-east-1.ec2', 'aws', 'us-isob-east-1', 'ec2'],
    [
      'com.amazonaws.s3-global.accesspoint',
      'aws',
      undefined,
      's3-global.accesspoint',
    ],
  ])(
    'reads %s as %s service in %s labelled %s',
    (name, origin, region, label) => {
      // Act
      const parsed = parseServiceName(name);

      // Assert
      expect(parsed).toEqual({ name, origin, region, label });
    }
  );

  it.each(['com.example.widgets', 'aws.sagemaker.notebook', ''])(
    'reads %j as unknown, without a region, labelled by the whole name',
    (name) => {
      // Act
      const parsed = parseServiceName(name);

      // Assert
      expect(parsed).toEqual({
        name,
        origin: 'unknown',
        region: undefined,
        label: name,
      });
    }
  );
});

describe('isAwsServiceIn', () => {
  it.each([
    ['com.amazonaws.us-east-1.s3', 's3', 'us-east-1', true],
    ['cn.com.amazonaws.cn-north-1.s3', 's3', 'cn-north-1', true],
    ['com.amazonaws.us-east-1.dynamodb', 'dynamodb', 'us-east-1', true],
    ['com.amazonaws.us-east-1.s3express', 's3', 'us-east-1', false],
    ['com.amazonaws.us-east-1.s3', 's3express', 'us-east-1', false],
    ['com.amazonaws.us-east-1.ec2messages', 'ec2', 'us-east-1', false],
    ['com.amazonaws.us-east-1.ec2', 'ec2messages', 'us-east-1', false],
    ['com.amazonaws.us-west-2.s3', 's3', 'us-east-1', false],
    ['cn.com.amazonaws.cn-north-1.s3', 's3', 'cn-northwest-1', false],
    [
      'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
      'vpce-svc-0123456789abcdef0',
      'us-east-1',
      false,
    ],
    ['aws.sagemaker.us-east-1.notebook', 'notebook', 'us-east-1', false],
    ['com.example.s3', 'com.example.s3', 'us-east-1', false],
  ])('says %s is AWS service %s in %s: %s', (name, label, region, expected) => {
    // Act
    const result = isAwsServiceIn(parseServiceName(name), label, region);

    // Assert
    expect(result).toBe(expected);
  });
});
