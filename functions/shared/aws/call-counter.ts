import type {
  AbsoluteLocation,
  InitializeHandlerOptions,
  InitializeMiddleware,
  MetadataBearer,
} from '@smithy/types';

/**
 * Counts the AWS operations a client sends (`DescribeRouteTables` pages
 * count one each; SDK retries of one call do not), so tests and the bench
 * can hold the loader to its call budget.
 */
class CallCounter {
  private readonly counts = new Map<string, number>();

  /** Records one call of `service:Operation`. */
  public record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  /** All calls recorded so far. */
  public get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** Calls per operation, e.g. `{ "EC2:DescribeSubnets": 2 }`. */
  public byOperation(): Record<string, number> {
    return Object.fromEntries(
      [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b))
    );
  }
}

/** Any SDK v3 client: all that counting needs is its middleware stack. */
interface ClientWithStack {
  readonly middlewareStack: {
    add(
      middleware: InitializeMiddleware<object, MetadataBearer>,
      options: InitializeHandlerOptions &
        AbsoluteLocation & { override?: boolean }
    ): void;
  };
}

/**
 * Adds a counting middleware to `client`. It sits in the initialize step,
 * which runs once per command, before the retry middleware.
 */
const countCalls = (client: ClientWithStack, counter: CallCounter): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counter.record(
        `${context.clientName?.replace(/Client$/, '') ?? 'AWS'}:${context.commandName ?? 'unknown'}`
      );
      return next(args);
    },
    { step: 'initialize', name: 'vpceGuardCallCounter', override: true }
  );
};

export type { ClientWithStack };
export { CallCounter, countCalls };
