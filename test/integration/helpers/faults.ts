/**
 * Fault injection for integration tests: an SDK middleware that decides,
 * per HTTP attempt, whether the attempt fails and how.
 *
 * - Answers a failing AWS service gives (throttling, 500, AccessDenied, a
 *   200 with rejected items) and connection resets come from a loopback
 *   "fault server" the attempt is redirected to, so they travel through the
 *   real Node HTTP handler, the SDK's deserializers and its retry strategy.
 *   The server answers (or resets) at once: nothing waits on a timer.
 * - A hung connection is not played by a server that stays silent until a
 *   client timer fires: that races the timer against the machine's speed.
 *   The middleware raises the very error the Node HTTP handler raises when
 *   its `requestTimeout` expires ({@link requestTimeoutError}), at once.
 *   That the production handler really raises it on a silent server is
 *   shown once, against a server that never answers (fault-injection.test.ts).
 *
 * Which attempts fail is decided by a seeded PRNG per operation and attempt
 * number, so a seed gives the same faults run after run even though the
 * loader's calls interleave differently.
 */
import { Buffer } from 'node:buffer';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type {
  AbsoluteLocation,
  DeserializeHandlerArguments,
  DeserializeHandlerOptions,
  DeserializeMiddleware,
  MetadataBearer,
} from '@smithy/types';
import {
  HTTP_HANDLER_OPTIONS,
  type HttpHandlerOptions,
} from '../../../functions/shared/aws/client-config.js';

/**
 * Faults a retry should absorb: EC2 `RequestLimitExceeded` (503), Config
 * and DynamoDB `ThrottlingException` (400), Security Hub
 * `TooManyRequestsException` (429);
 * a 500; a connection reset by the peer; an answer that never comes.
 */
type TransientFault =
  | 'throttling'
  | 'server-error'
  | 'connection-reset'
  | 'timeout';

/**
 * Faults no retry may absorb: the caller lacks a permission (EC2
 * `UnauthorizedOperation`, Config and Security Hub `AccessDeniedException`);
 * or the call succeeds with one item rejected (`FailedEvaluations`,
 * `FailedFindings`; only for PutEvaluations and BatchImportFindings).
 */
type PermanentFault = 'access-denied' | 'rejected-item';

/** Any fault the injector can produce. */
type Fault = TransientFault | PermanentFault;

/** Every transient fault, in a stable order. */
const TRANSIENT_FAULTS: readonly TransientFault[] = [
  'throttling',
  'server-error',
  'connection-reset',
  'timeout',
];

/** A fault for given attempts of one operation. */
interface ScriptedFault {
  /** `<Service>:<Operation>`, e.g. `ConfigService:PutEvaluations`. */
  readonly operation: string;
  readonly fault: Fault;
  /** The first attempt (0-based, counted per operation) to fail; default 0. */
  readonly from?: number;
  /** How many attempts fail from there; default all. */
  readonly times?: number;
}

/** Which attempts fail, and how. */
interface FaultPlan {
  /** Seeds the random faults; default 1. */
  readonly seed?: number;
  /** The share of attempts, 0 to 1, that fail at random; default 0. */
  readonly rate?: number;
  /** What a random fault is, picked evenly; default every transient fault. */
  readonly kinds?: readonly TransientFault[];
  /** Faults for given attempts; they take precedence over random ones. */
  readonly script?: readonly ScriptedFault[];
}

/** One HTTP attempt a client made. */
interface Attempt {
  /** `<Service>:<Operation>`, e.g. `EC2:DescribeVpcs`. */
  readonly operation: string;
  /** The command input (the same object on every attempt of one call). */
  readonly input: unknown;
  /** The fault injected, or `undefined` when the attempt went to moto. */
  readonly fault: Fault | undefined;
  /**
   * The HTTP status of the answer; `undefined` while pending or when no
   * answer came (a reset, a timeout).
   */
  status: number | undefined;
}

/** What the fault server is asked to do with one request. */
type ServerAction =
  | {
      readonly action: 'respond';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly action: 'reset' }
  | { readonly action: 'hang' };

/** The request header that carries the {@link ServerAction}, base64 JSON. */
const ACTION_HEADER = 'x-vpce-guard-fault';

/** The header that asks the fault server for `action`. */
const actionHeader = (action: ServerAction): Record<string, string> => ({
  [ACTION_HEADER]: Buffer.from(JSON.stringify(action)).toString('base64'),
});

const HOST = '127.0.0.1';

/**
 * A loopback HTTP server that fails every request the way its
 * `x-vpce-guard-fault` header asks.
 */
class FaultServer {
  private readonly server: Server;
  private listening: Promise<number> | undefined;

  private constructor() {
    this.server = createServer((request, response) =>
      FaultServer.serve(request, response)
    );
  }

  /** Starts a server on a free loopback port. */
  public static async start(): Promise<FaultServer> {
    const faultServer = new FaultServer();
    await faultServer.port();
    return faultServer;
  }

  /** The port it listens on. */
  public port(): Promise<number> {
    this.listening ??= new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, HOST, () => {
        resolve((this.server.address() as AddressInfo).port);
      });
    });
    return this.listening;
  }

  /** Stops listening and drops every connection, hung ones included. */
  public async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
    this.server.closeAllConnections();
    await closed;
  }

  private static serve(request: IncomingMessage, response: ServerResponse) {
    const header = request.headers[ACTION_HEADER];
    const action = JSON.parse(
      Buffer.from(String(header), 'base64').toString('utf8')
    ) as ServerAction;
    // Drain the request body so a response is not sent mid-upload.
    request.resume();
    request.once('end', () => {
      if (action.action === 'reset') {
        // A TCP RST, as from a load balancer dropping the connection.
        request.socket.resetAndDestroy();
      } else if (action.action === 'respond') {
        response.writeHead(action.status, {
          ...action.headers,
          'x-amzn-requestid': 'fault-injected',
        });
        response.end(action.body);
      }
      // 'hang': keep the socket open and silent until the client gives up.
    });
  }
}

/** The content type of the JSON protocols, per service. */
const JSON_CONTENT_TYPES: Readonly<Record<string, string>> = {
  ConfigService: 'application/x-amz-json-1.1',
  DynamoDB: 'application/x-amz-json-1.0',
};

/** An AWS error answer in the wire format of the client's protocol. */
const errorAnswer = (
  service: string,
  status: number,
  code: string,
  message: string
): ServerAction => {
  if (service === 'EC2') {
    return {
      action: 'respond',
      status,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault-injected</RequestID></Response>`,
    };
  }
  // Config speaks awsJson1_1, DynamoDB awsJson1_0, Security Hub restJson1:
  // all name the error in x-amzn-ErrorType.
  return {
    action: 'respond',
    status,
    headers: {
      'content-type': JSON_CONTENT_TYPES[service] ?? 'application/json',
      'x-amzn-errortype': code,
    },
    body: JSON.stringify({ __type: code, message }),
  };
};

// Status and code of each fault, per service, as the services send them.
const ERROR_CODES: Record<
  'throttling' | 'server-error' | 'access-denied',
  Record<string, readonly [number, string, string]>
> = {
  throttling: {
    EC2: [503, 'RequestLimitExceeded', 'Request limit exceeded.'],
    ConfigService: [400, 'ThrottlingException', 'Rate exceeded'],
    SecurityHub: [429, 'TooManyRequestsException', 'Rate exceeded'],
    DynamoDB: [
      400,
      'ThrottlingException',
      'Rate of requests exceeds the allowed throughput.',
    ],
  },
  'server-error': {
    EC2: [500, 'InternalError', 'An internal error has occurred'],
    ConfigService: [500, 'InternalFailure', 'An internal error has occurred'],
    SecurityHub: [500, 'InternalException', 'Internal service error'],
    DynamoDB: [500, 'InternalServerError', 'Internal server error'],
  },
  'access-denied': {
    EC2: [
      403,
      'UnauthorizedOperation',
      'You are not authorized to perform this operation.',
    ],
    ConfigService: [400, 'AccessDeniedException', 'not authorized'],
    SecurityHub: [403, 'AccessDeniedException', 'not authorized'],
    DynamoDB: [400, 'AccessDeniedException', 'not authorized'],
  },
};

/** Config's JSON form of one evaluation of a PutEvaluations input. */
const failedEvaluation = (input: unknown) => {
  const [first] =
    (input as { Evaluations?: Record<string, unknown>[] }).Evaluations ?? [];
  const timestamp = first?.OrderingTimestamp;
  return {
    ...first,
    OrderingTimestamp:
      timestamp instanceof Date ? timestamp.getTime() / 1000 : timestamp,
  };
};

/** A 200 answer that rejects the first item of the call. */
const rejectedItemAnswer = (
  operation: string,
  input: unknown
): ServerAction => {
  if (operation === 'ConfigService:PutEvaluations') {
    return {
      action: 'respond',
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ FailedEvaluations: [failedEvaluation(input)] }),
    };
  }
  if (operation === 'SecurityHub:BatchImportFindings') {
    const findings = (input as { Findings?: { Id?: string }[] }).Findings ?? [];
    return {
      action: 'respond',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FailedCount: 1,
        SuccessCount: findings.length - 1,
        FailedFindings: [
          {
            Id: findings[0]?.Id,
            ErrorCode: 'InvalidInput',
            ErrorMessage: 'Finding does not adhere to Amazon Finding Format.',
          },
        ],
      }),
    };
  }
  throw new Error(`no rejected-item answer for ${operation}`);
};

/** How the fault server plays `fault` for one attempt of `operation`. */
const serverAction = (
  fault: Fault,
  operation: string,
  input: unknown
): ServerAction => {
  const service = operation.split(':')[0] ?? '';
  switch (fault) {
    case 'connection-reset':
      return { action: 'reset' };
    case 'timeout':
      // Raised by the injector itself (requestTimeoutError); kept for the
      // test that shows the real handler timing out on a silent server.
      return { action: 'hang' };
    case 'rejected-item':
      return rejectedItemAnswer(operation, input);
    default: {
      const answer = ERROR_CODES[fault][service];
      if (answer === undefined) throw new Error(`no ${fault} for ${service}`);
      return errorAnswer(service, ...answer);
    }
  }
};

/** FNV-1a, 32 bits: a seed for the PRNG from a string. */
const hash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** mulberry32: a small, fast, seedable PRNG with values in [0, 1). */
const prng = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Any SDK v3 client: all injection needs is its middleware stack. */
interface ClientWithStack {
  readonly middlewareStack: {
    add(
      middleware: DeserializeMiddleware<object, MetadataBearer>,
      options: DeserializeHandlerOptions &
        AbsoluteLocation & { override?: boolean }
    ): void;
  };
}

/** The fields of a smithy HttpRequest the Node HTTP handler reads. */
interface WireRequest {
  readonly hostname?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly headers: Record<string, string>;
}

/**
 * Decides, per HTTP attempt, whether a client's call fails and how, and
 * records every attempt. One injector may serve several clients.
 */
class FaultInjector {
  private readonly attemptLog: Attempt[] = [];
  private readonly counters = new Map<string, number>();

  /**
   * @param server - where failing attempts are sent
   * @param plan - which attempts fail
   * @param requestTimeoutMs - the `requestTimeout` a hung attempt is
   *   reported to have exceeded (production's, by default)
   */
  public constructor(
    private readonly server: FaultServer,
    private readonly plan: FaultPlan = {},
    private readonly requestTimeoutMs = HTTP_HANDLER_OPTIONS.requestTimeout
  ) {}

  /** Every attempt so far, in the order they were made. */
  public get attempts(): readonly Attempt[] {
    return this.attemptLog;
  }

  /** The attempts of one operation, in order. */
  public attemptsOf(operation: string): readonly Attempt[] {
    return this.attemptLog.filter((a) => a.operation === operation);
  }

  /**
   * The inputs of the attempts of `operation` that moto answered with a
   * 2xx. An attempt that went to moto but got no answer in time is not
   * among them: like AWS, moto may or may not have acted on it.
   */
  public accepted(operation: string): unknown[] {
    return this.attemptsOf(operation)
      .filter(
        (a) =>
          a.fault === undefined &&
          a.status !== undefined &&
          a.status >= 200 &&
          a.status < 300
      )
      .map((a) => a.input);
  }

  /** How many faults of each kind were injected. */
  public injected(): Partial<Record<Fault, number>> {
    const counts: Partial<Record<Fault, number>> = {};
    for (const { fault } of this.attemptLog) {
      if (fault !== undefined) counts[fault] = (counts[fault] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Adds the injecting middleware to `client`. It sits innermost, after
   * signing and inside the deserializer and the retry loop, so it sees
   * every attempt and its answer is parsed and classified as AWS's would be.
   */
  public attach<C extends ClientWithStack>(client: C): C {
    client.middlewareStack.add(
      (next, context) => async (args: DeserializeHandlerArguments<object>) => {
        const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
        const command = (context.commandName ?? '?').replace(/Command$/, '');
        const operation = `${service}:${command}`;
        const fault = this.decide(operation);
        const attempt: Attempt = {
          operation,
          input: args.input,
          fault,
          status: undefined,
        };
        this.attemptLog.push(attempt);
        if (fault === undefined) {
          const answer = await next(args);
          attempt.status = (
            answer.response as { statusCode?: number }
          ).statusCode;
          return answer;
        }
        if (fault === 'timeout') {
          throw requestTimeoutError(this.requestTimeoutMs);
        }
        const action = serverAction(fault, operation, args.input);
        const request = args.request as WireRequest;
        const redirected: WireRequest = {
          ...request,
          protocol: 'http:',
          hostname: HOST,
          port: await this.server.port(),
          headers: { ...request.headers, ...actionHeader(action) },
        };
        return next({ ...args, request: redirected });
      },
      {
        step: 'deserialize',
        priority: 'low',
        name: 'vpceGuardFaultInjection',
        override: true,
      }
    );
    return client;
  }

  private decide(operation: string): Fault | undefined {
    const attempt = this.counters.get(operation) ?? 0;
    this.counters.set(operation, attempt + 1);
    const scripted = (this.plan.script ?? []).find((entry) => {
      const from = entry.from ?? 0;
      return (
        entry.operation === operation &&
        attempt >= from &&
        attempt < from + (entry.times ?? Number.POSITIVE_INFINITY)
      );
    });
    if (scripted) return scripted.fault;
    const rate = this.plan.rate ?? 0;
    const kinds = this.plan.kinds ?? TRANSIENT_FAULTS;
    if (rate <= 0 || kinds.length === 0) return undefined;
    const random = prng(hash(`${this.plan.seed ?? 1}|${operation}|${attempt}`));
    if (random() >= rate) return undefined;
    return kinds[Math.floor(random() * kinds.length)];
  }
}

/**
 * The error `@smithy/node-http-handler` rejects an attempt with when no
 * response arrives within `requestTimeout` and `throwOnRequestTimeout` is
 * set (its `setRequestTimeout`): a `TimeoutError` with code `ETIMEDOUT`,
 * which the retry strategy classifies as transient.
 *
 * @param requestTimeoutMs - the client's configured `requestTimeout`
 */
const requestTimeoutError = (requestTimeoutMs: number): Error =>
  Object.assign(
    new Error(
      `@smithy/node-http-handler - [ERROR] a request has exceeded the configured ${requestTimeoutMs} ms requestTimeout.`
    ),
    { name: 'TimeoutError', code: 'ETIMEDOUT' }
  );

/**
 * The HTTP handler options of a test client: production's, with the
 * socket timers switched off. Under load, moto itself may take seconds to
 * answer, and a timer would turn that slowness into a fault nobody
 * injected; hung attempts are injected as {@link requestTimeoutError}
 * instead. `throwOnRequestTimeout` stays as production sets it.
 */
const withoutTimers = (options: HttpHandlerOptions): HttpHandlerOptions => ({
  ...options,
  connectionTimeout: 0,
  requestTimeout: 0,
  socketTimeout: 0,
});

/**
 * The production retry strategy (adaptive: the standard strategy's error
 * classes, attempt limit and retry quota, behind a client-side rate
 * limiter) with every wait taken out: backoff 0 ms and a rate limiter that
 * never holds a request back. The waits are production tuning, checked by
 * arithmetic in fault-injection.test.ts; in a test they are wall-clock time
 * on a shared machine, and what is tested is which failures are retried
 * and what is reported in the end.
 *
 * @param maxAttempts - attempts per call, the first one included
 */
const retryWithoutWaiting = (maxAttempts: number): AdaptiveRetryStrategy =>
  new AdaptiveRetryStrategy(maxAttempts, {
    maxAttempts,
    backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => {} },
    rateLimiter: {
      getSendToken: async () => {},
      updateClientSendingRate: () => {},
    },
  });

export type {
  Attempt,
  ClientWithStack,
  Fault,
  FaultPlan,
  PermanentFault,
  ScriptedFault,
  ServerAction,
  TransientFault,
};
export {
  actionHeader,
  FaultInjector,
  FaultServer,
  requestTimeoutError,
  retryWithoutWaiting,
  TRANSIENT_FAULTS,
  withoutTimers,
};
