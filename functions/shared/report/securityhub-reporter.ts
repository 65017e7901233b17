import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  type ImportFindingsError,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  AwsCallError,
  ReportRejectedError,
  toAwsCallError,
} from '../errors.js';

const ACTION = 'securityhub:BatchImportFindings';

/**
 * Security Hub is not enabled (or the default product is not subscribed) in
 * the account and Region the findings were imported into.
 */
class SecurityHubNotEnabledError extends AwsCallError {
  /** The account the findings were imported into. */
  public readonly account: string;
  /** The Region the findings were imported into. */
  public readonly region: string;

  public constructor(account: string, region: string, options?: ErrorOptions) {
    super(
      ACTION,
      `Security Hub is not enabled in ${account}/${region}: enable it there, or set the rule parameter securityHub=false to turn the import off`,
      options
    );
    this.name = 'SecurityHubNotEnabledError';
    this.account = account;
    this.region = region;
  }
}

/** How findings are imported. */
interface ImportOptions {
  /** The role making the call, named in AccessDenied errors. */
  readonly principal: string;
  /**
   * The UpdatedAt already sent per Id: the same memo for every import that
   * may repeat an Id (one per Lambda container).
   */
  readonly memo: UpdatedAtMemo;
  /** Milliseconds since the epoch; `Date.now` unless a test injects one. */
  readonly now?: () => number;
  /** Waits `ms` milliseconds; `setTimeout` unless a test injects one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Calls started per second at most; 10 (the service's steady rate). */
  readonly maxCallsPerSecond?: number;
}

/** BatchImportFindings accepts at most this many findings per call. */
const BATCH_SIZE = 100;

/**
 * Serialized request size per call: the service takes 6 MB, this keeps a
 * margin for the SDK's encoding.
 */
const MAX_BATCH_BYTES = 5.5 * 1024 * 1024;

/** `{"Findings":[` and `]}`. */
const ENVELOPE_BYTES = Buffer.byteLength('{"Findings":[]}');

const DEFAULT_CALLS_PER_SECOND = 10;

/** Above this many entries, the memo drops ids that no longer matter. */
const MEMO_PRUNE_SIZE = 10_000;

/**
 * The last UpdatedAt (ms) sent for each finding Id. Security Hub silently
 * ignores an update whose UpdatedAt is not after the stored one, and a
 * Lambda container imports the same findings again and again (a
 * re-delivered event, the next periodic run), at times within one
 * millisecond. Whoever owns the container's state keeps one memo and passes
 * it to every import (the rule handler keeps it in its closure:
 * functions/config-rule/create-rule-handler.ts).
 */
class UpdatedAtMemo {
  private readonly lastMs = new Map<string, number>();

  /**
   * A copy of `finding` with UpdatedAt = max(now, last sent + 1 ms,
   * CreatedAt), recorded as the last one sent for its Id.
   */
  public stamp(finding: AwsSecurityFinding, now: number): AwsSecurityFinding {
    const id = finding.Id ?? '';
    const last = this.lastMs.get(id);
    const created = Date.parse(finding.CreatedAt ?? '');
    let updated = now;
    if (last !== undefined) updated = Math.max(updated, last + 1);
    if (!Number.isNaN(created)) updated = Math.max(updated, created);
    this.lastMs.set(id, updated);
    return { ...finding, UpdatedAt: new Date(updated).toISOString() };
  }

  /** Keeps the memo small in a long-lived container. */
  public prune(now: number): void {
    if (this.lastMs.size <= MEMO_PRUNE_SIZE) return;
    for (const [id, last] of this.lastMs) {
      // max(now, last + 1) is `now` for these: the entry no longer matters.
      if (last < now) this.lastMs.delete(id);
    }
  }
}

const byteLength = (finding: AwsSecurityFinding): number =>
  Buffer.byteLength(JSON.stringify(finding));

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Account and Region from `arn:<partition>:securityhub:<region>:<account>:…`. */
const accountAndRegion = (
  findings: readonly AwsSecurityFinding[]
): { account: string; region: string } => {
  const first = findings[0];
  const arn = (first?.ProductArn ?? '').split(':');
  return {
    account: first?.AwsAccountId ?? arn[4] ?? '?',
    region: arn[3] || (first?.Resources?.[0]?.Region ?? '?'),
  };
};

const isNotEnabled = (error: unknown): boolean => {
  const name = (error as { name?: string }).name ?? '';
  const message = error instanceof Error ? error.message : '';
  return name === 'InvalidAccessException' || /not subscribed/i.test(message);
};

const describeFailure = (failure: ImportFindingsError): string =>
  `${failure.Id ?? '?'} (${failure.ErrorCode ?? '?'}: ${failure.ErrorMessage ?? ''})`;

/**
 * Imports findings into Security Hub with `BatchImportFindings`, in
 * sequential calls of at most 100 findings and about 5.5 MB of JSON each,
 * started no faster than `maxCallsPerSecond`. No findings, no call.
 *
 * Each finding is sent with UpdatedAt = max(now, the last UpdatedAt
 * `options.memo` holds for its Id + 1 ms, its CreatedAt), so that a re-import in the
 * same millisecond is not ignored and a new finding has UpdatedAt =
 * CreatedAt. The rest of the finding (the original CreatedAt included) is
 * sent as given.
 *
 * A call that Security Hub accepts with `FailedFindings` does not stop the
 * remaining calls; once all are sent, a {@link ReportRejectedError} lists
 * every failed Id with its error code and message. A failure with
 * `InvalidAccess` stops at once: Security Hub is not enabled.
 *
 * @returns the requests sent, in order
 * @throws SecurityHubNotEnabledError on `InvalidAccessException` or an
 *   `InvalidAccess` failed finding
 * @throws AwsCallError when a call fails (later calls are not made)
 * @throws ReportRejectedError when Security Hub rejected some findings
 */
const importFindings = async (
  client: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
  options: ImportOptions
): Promise<BatchImportFindingsCommandInput[]> => {
  const clock = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const interval =
    1000 / (options.maxCallsPerSecond ?? DEFAULT_CALLS_PER_SECOND);
  const sent: BatchImportFindingsCommandInput[] = [];
  const failed: ImportFindingsError[] = [];
  let unlisted = 0;
  let lastCallAt: number | undefined;
  let next = 0;
  while (next < findings.length) {
    if (lastCallAt !== undefined) {
      const wait = lastCallAt + interval - clock();
      if (wait > 0) await sleep(wait);
    }
    const now = clock();
    options.memo.prune(now);
    const batch: AwsSecurityFinding[] = [];
    let bytes = ENVELOPE_BYTES;
    while (next < findings.length && batch.length < BATCH_SIZE) {
      const finding = options.memo.stamp(
        findings[next] as AwsSecurityFinding,
        now
      );
      const size = byteLength(finding) + (batch.length > 0 ? 1 : 0);
      // An oversized finding goes alone; Security Hub rejects it by Id.
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(finding);
      bytes += size;
      next += 1;
    }
    const input: BatchImportFindingsCommandInput = { Findings: batch };
    lastCallAt = clock();
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send(client, input);
    } catch (error) {
      if (isNotEnabled(error)) {
        const { account, region } = accountAndRegion(batch);
        throw new SecurityHubNotEnabledError(account, region, {
          cause: error,
        });
      }
      throw toAwsCallError(error, ACTION, options.principal);
    }
    sent.push(input);
    const failures = response.FailedFindings ?? [];
    if (failures.some((failure) => failure.ErrorCode === 'InvalidAccess')) {
      const { account, region } = accountAndRegion(batch);
      throw new SecurityHubNotEnabledError(account, region, {
        cause: new ReportRejectedError(
          `${ACTION} rejected: ${failures.map(describeFailure).join(', ')}`
        ),
      });
    }
    failed.push(...failures);
    unlisted += Math.max(0, (response.FailedCount ?? 0) - failures.length);
  }
  if (failed.length > 0 || unlisted > 0) {
    const listed = failed.map(describeFailure);
    if (unlisted > 0) listed.push(`${unlisted} without an Id in the response`);
    throw new ReportRejectedError(
      `${ACTION} rejected ${failed.length + unlisted} of ${findings.length} findings: ${listed.join(', ')}`
    );
  }
  return sent;
};

const send = (
  client: SecurityHubClient,
  input: BatchImportFindingsCommandInput
) => client.send(new BatchImportFindingsCommand(input));

export type { ImportOptions };
export { importFindings, SecurityHubNotEnabledError, UpdatedAtMemo };
