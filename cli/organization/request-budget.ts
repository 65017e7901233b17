/**
 * A client-side token bucket, put in front of an SDK client so that the
 * requests vpce-guard sends to one account (or one account-Region) never
 * outrun a share of the bucket AWS throttles that account with. AWS's own
 * throttling then never fires because of vpce-guard, however many accounts
 * `scan --organization` loads at once (README "Organization scans").
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import type {
  AbsoluteLocation,
  FinalizeRequestHandlerOptions,
  FinalizeRequestMiddleware,
  MetadataBearer,
} from '@smithy/types';

/** The time source of a budget; tests inject one that never waits. */
interface BudgetClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `performance.now()` and a timer. */
const SYSTEM_CLOCK: BudgetClock = {
  now: () => performance.now(),
  sleep: (ms) => sleepFor(ms),
};

/** The size and refill rate of a bucket. */
interface BudgetLimits {
  /** Requests that may go out at once after a quiet spell. */
  readonly capacity: number;
  /** Tokens added per second, up to `capacity`. */
  readonly refillPerSecond: number;
}

/**
 * A token bucket: {@link RequestBudget.take} resolves when a token is
 * free and spends it. Takers are served in the order they asked, so one
 * caller cannot starve the others.
 */
class RequestBudget {
  private tokens: number;
  private updatedAt: number;
  // Each taker waits for the one before it: tokens go out in order.
  private queue: Promise<void> = Promise.resolve();

  public constructor(
    private readonly limits: BudgetLimits,
    private readonly clock: BudgetClock = SYSTEM_CLOCK
  ) {
    if (!(limits.capacity >= 1 && limits.refillPerSecond > 0)) {
      throw new RangeError(
        `a request budget needs a capacity ≥ 1 and a positive refill rate, got ${limits.capacity} and ${limits.refillPerSecond}`
      );
    }
    this.tokens = limits.capacity;
    this.updatedAt = clock.now();
  }

  /** Waits until a token is free, then spends it. */
  public take(): Promise<void> {
    const turn = this.queue.then(() => this.spendOne());
    // A failed wait must not block the takers behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    const earned =
      ((now - this.updatedAt) / 1000) * this.limits.refillPerSecond;
    this.tokens = Math.min(this.limits.capacity, this.tokens + earned);
    this.updatedAt = now;
  }

  private async spendOne(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      const waitMs = ((1 - this.tokens) / this.limits.refillPerSecond) * 1000;
      await this.clock.sleep(waitMs);
      this.refill();
    }
    this.tokens -= 1;
  }
}

/** Any SDK v3 client: all a budget needs is its middleware stack. */
interface BudgetedClient {
  readonly middlewareStack: {
    add(
      middleware: FinalizeRequestMiddleware<object, MetadataBearer>,
      options: FinalizeRequestHandlerOptions &
        AbsoluteLocation & { override?: boolean }
    ): void;
  };
}

/**
 * Makes every HTTP attempt of `client` take a token of `budget` first.
 * The middleware sits in the finalize step after the retry middleware, so
 * a retried attempt pays like the first one: AWS counts it too.
 */
const spendBudgetPerAttempt = (
  client: BudgetedClient,
  budget: RequestBudget
): void => {
  client.middlewareStack.add(
    (next) => async (args) => {
      await budget.take();
      return next(args);
    },
    {
      step: 'finalizeRequest',
      priority: 'low',
      name: 'vpceGuardRequestBudget',
      override: true,
    }
  );
};

export type { BudgetClock, BudgetedClient, BudgetLimits };
export { RequestBudget, SYSTEM_CLOCK, spendBudgetPerAttempt };
