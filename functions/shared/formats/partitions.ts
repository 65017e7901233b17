/**
 * Partitions and Regions, from the partition table the AWS SDK itself
 * resolves endpoints with (`@aws-sdk/core`), not from a hand-written list:
 * a partition or Region the SDK learns (the European Sovereign Cloud's
 * `aws-eusc`, the `aws-iso*` family) works here as soon as the SDK knows it.
 */
import { partition as sdkPartition } from '@aws-sdk/core/client';

/** What vpce-guard needs to know of a Region. */
interface RegionFacts {
  readonly region: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, `aws-iso-b`, … */
  readonly partition: string;
  /** `amazonaws.com`, `amazonaws.com.cn`, `amazonaws.eu`…; unknown for a Region the table does not know in a partition it was told. */
  readonly dnsSuffix: string | undefined;
  /** True when the SDK's table lists the Region by name. */
  readonly known: boolean;
}

/**
 * A Region id as AWS writes them: letters, dash-separated words, a number
 * (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`, `us-isob-east-1`). Only
 * for Regions the SDK does not know yet: the table decides the rest.
 */
const WELL_FORMED_REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/u;

/** A partition id (`aws`, `aws-us-gov`). */
const WELL_FORMED_PARTITION = /^aws(?:-[a-z]+)*$/u;

/** Why `region` (with the partition a caller named) is not usable. */
class RegionError extends Error {
  /** The input that is wrong: `Region` or `Partition`. */
  public readonly field: 'Region' | 'Partition';

  public constructor(field: 'Region' | 'Partition', message: string) {
    super(message);
    this.name = 'RegionError';
    this.field = field;
  }
}

/**
 * The partition facts of `region`.
 *
 * - A Region the SDK's table lists: its partition; a `partition` the caller
 *   names must agree.
 * - A well-formed Region the table does not list: accepted, in the
 *   partition the caller names (from the Config rule's ARN, the caller
 *   identity or the snapshot), else the one the SDK's patterns suggest.
 *
 * @param partition - the partition the caller knows from elsewhere, if any
 * @throws RegionError naming what is wrong, for a malformed Region or
 *   partition, or a partition that contradicts the table
 */
const regionFacts = (region: string, partition?: string): RegionFacts => {
  if (partition !== undefined && !WELL_FORMED_PARTITION.test(partition)) {
    throw new RegionError(
      'Partition',
      `expected a partition such as aws, aws-cn or aws-us-gov, got ${JSON.stringify(partition)}`
    );
  }
  const entry = sdkPartition(region);
  // The SDK returns a description only for a Region its table lists.
  const known =
    typeof (entry as { description?: unknown }).description === 'string';
  if (known) {
    if (partition !== undefined && partition !== entry.name) {
      throw new RegionError(
        'Partition',
        `partition ${partition} does not hold Region ${region}: the AWS SDK's partition table puts it in ${entry.name}`
      );
    }
    return { region, partition: entry.name, dnsSuffix: entry.dnsSuffix, known };
  }
  if (!WELL_FORMED_REGION.test(region)) {
    throw new RegionError(
      'Region',
      `expected a Region id such as us-east-1, got ${JSON.stringify(region)}`
    );
  }
  const name = partition ?? entry.name;
  return {
    region,
    partition: name,
    dnsSuffix: name === entry.name ? entry.dnsSuffix : undefined,
    known,
  };
};

/**
 * The prefixes of AWS service names and AWS-managed prefix-list names in
 * the Region's partition: the reversed DNS suffix (`com.amazonaws`,
 * `cn.com.amazonaws`, `eu.amazonaws`, `gov.ic.c2s`) and, everywhere,
 * `com.amazonaws`, which the China Regions use for gateway services
 * alongside `cn.com.amazonaws` for interface services.
 */
const serviceNamePrefixes = (facts: RegionFacts): string[] => {
  const reversed =
    facts.dnsSuffix === undefined
      ? []
      : [facts.dnsSuffix.split('.').reverse().join('.')];
  return [...new Set([...reversed, 'com.amazonaws'])];
};

export type { RegionFacts };
export { RegionError, regionFacts, serviceNamePrefixes };
