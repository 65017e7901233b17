import { Readable } from 'node:stream';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import {
  type BudgetClock,
  RequestBudget,
  spendBudgetPerAttempt,
} from '../../../cli/organization/request-budget.js';
import {
  EC2_BUDGET,
  ROUTE53_BUDGET,
} from '../../../cli/organization/scan-organization.js';

/** A clock whose sleeps advance it at once: no test waits for real time. */
class FakeClock implements BudgetClock {
  public time = 0;
  public readonly sleeps: number[] = [];

  public now(): number {
    return this.time;
  }

  public sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

/** The clock time at which each of `count` takes was granted. */
const grantTimes = async (
  budget: RequestBudget,
  clock: FakeClock,
  count: number
): Promise<number[]> =>
  Promise.all(
    Array.from({ length: count }, () => budget.take().then(() => clock.now()))
  );

describe('RequestBudget', () => {
  it.each([
    // capacity, refill/s, takes, grant times (ms)
    [3, 1, 3, [0, 0, 0]],
    [3, 1, 5, [0, 0, 0, 1000, 2000]],
    [2, 4, 6, [0, 0, 250, 500, 750, 1000]],
    [50, 10, 52, [...Array.from({ length: 50 }, () => 0), 100, 200]],
  ])(
    'with capacity %i refilled at %i/s grants %i takes at the times the bucket allows',
    async (capacity, refillPerSecond, takes, expected) => {
      // Arrange
      const clock = new FakeClock();
      const budget = new RequestBudget({ capacity, refillPerSecond }, clock);

      // Act
      const granted = await grantTimes(budget, clock, takes);

      // Assert
      expect(granted.map((t) => Math.round(t))).toEqual(expected);
    }
  );

  it('refills while idle, never above its capacity', async () => {
    // Arrange
    const clock = new FakeClock();
    const budget = new RequestBudget(
      { capacity: 2, refillPerSecond: 1 },
      clock
    );
    await grantTimes(budget, clock, 2);

    // Act: an hour idle earns only the capacity back
    clock.time += 3_600_000;
    const start = clock.now();
    const granted = await grantTimes(budget, clock, 3);

    // Assert
    expect(granted.map((t) => Math.round(t - start))).toEqual([0, 0, 1000]);
  });

  it.each([
    ['EC2, per account-Region', EC2_BUDGET, 100, 20],
    ['Route 53, per account', ROUTE53_BUDGET, 5, 5],
  ])(
    'keeps %s within half of what AWS allows in any window',
    async (_name, limits, awsCapacity, awsRefill) => {
      // Arrange: more takes than the bucket holds, all at once
      const clock = new FakeClock();
      const budget = new RequestBudget(limits, clock);

      // Act
      const granted = await grantTimes(budget, clock, 400);

      // Assert: in every window of w seconds, at most half of AWS's bucket
      // (capacity + w × refill) is spent
      const overspent = granted.flatMap((from, i) =>
        granted
          .slice(i)
          .map((to, k) => ({ spent: k + 1, seconds: (to - from) / 1000 }))
          .filter(
            ({ spent, seconds }) =>
              spent > (awsCapacity + seconds * awsRefill) / 2 + 1e-9
          )
      );
      expect(overspent).toEqual([]);
    }
  );

  it.each([
    [{ capacity: 0, refillPerSecond: 1 }],
    [{ capacity: 1, refillPerSecond: 0 }],
  ])('refuses the limits %j', (limits) => {
    // Act & Assert
    expect(() => new RequestBudget(limits, new FakeClock())).toThrow(
      RangeError
    );
  });
});

describe('spendBudgetPerAttempt', () => {
  /** EC2 answers: throttled first, then an empty DescribeVpcs. */
  const throttledOnce = () => {
    let attempts = 0;
    const body = (text: string) => Readable.from([Buffer.from(text)]);
    return {
      get attempts() {
        return attempts;
      },
      handle: async () => {
        attempts += 1;
        const throttled = attempts === 1;
        return {
          response: {
            statusCode: throttled ? 503 : 200,
            headers: { 'content-type': 'text/xml' },
            body: body(
              throttled
                ? '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>'
                : '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId><vpcSet/></DescribeVpcsResponse>'
            ),
          },
        };
      },
    };
  };

  it('takes a token for every HTTP attempt, retries included', async () => {
    // Arrange: no network (the handler answers), no retry waits
    const handler = throttledOnce();
    const ec2 = new EC2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: handler as never,
      retryStrategy: new AdaptiveRetryStrategy(3, {
        maxAttempts: 3,
        backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => {} },
        rateLimiter: {
          getSendToken: async () => {},
          updateClientSendingRate: () => {},
        },
      } as never),
    });
    const clock = new FakeClock();
    const budget = new RequestBudget(
      { capacity: 1, refillPerSecond: 1 },
      clock
    );
    spendBudgetPerAttempt(ec2, budget);

    // Act
    const output = await ec2.send(new DescribeVpcsCommand({}));

    // Assert: two attempts, the second waited a second for its token
    expect(output.Vpcs).toEqual([]);
    expect(handler.attempts).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
  });
});
