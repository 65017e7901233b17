/**
 * The AWS SDK settings of every client vpce-guard creates: the Lambda rule's
 * (created once per container, in `handler.ts`) and the CLI's live loads.
 * This module holds just the settings, so that the integration tests build
 * their clients (with injected faults) exactly as the handler does.
 */

/**
 * Socket limits of the Node HTTP handler (`@smithy/node-http-handler`).
 *
 * Without them the SDK waits on a connection that stopped answering for as
 * long as the socket lives: no limit at all for Config and Security Hub, 15
 * minutes for EC2, either way past the function's 5-minute timeout. The
 * invocation would then die as a Lambda timeout, having retried nothing.
 * With them, a hung attempt fails with the SDK's `TimeoutError`, which the
 * retry strategy retries like a connection reset.
 *
 * - `connectionTimeout`: a TCP connect inside a Region takes milliseconds;
 *   3 s leaves room for one lost SYN.
 * - `requestTimeout`: from sending to the response headers. vpce-guard's
 *   largest calls (a 1000-item describe page, a 100-finding import of up to
 *   5.5 MB) answer in a few seconds; 15 s is several times that.
 *   `throwOnRequestTimeout` makes it an error: without it, the handler only
 *   logs a warning and keeps waiting.
 * - `socketTimeout`: at most 15 s of silence at any point, which also
 *   covers a response body that stalls after its headers.
 *
 * Worst case for one call that never gets through: {@link MAX_ATTEMPTS}
 * attempts of at most 15 s each plus the backoff between them (under 2
 * minutes for throttling, well under 30 s otherwise), inside the function's
 * 5 minutes, so the failure is reported as an error naming the action.
 */
const HTTP_HANDLER_OPTIONS = {
  connectionTimeout: 3_000,
  requestTimeout: 15_000,
  throwOnRequestTimeout: true,
  socketTimeout: 15_000,
} as const;

/**
 * Attempts per call (the first one included). Adaptive retries back off on
 * EC2's `RequestLimitExceeded`, Config's `ThrottlingException`, Security
 * Hub's 429s, 5xx answers, resets and timeouts; what still fails is rethrown
 * for Lambda to retry the event.
 */
const MAX_ATTEMPTS = 10;

/** Options for the Node HTTP handler of one client; see {@link HTTP_HANDLER_OPTIONS}. */
interface HttpHandlerOptions {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: boolean;
  readonly socketTimeout: number;
}

/** The configuration of one SDK client of the Lambda rule. */
interface SdkClientConfig {
  readonly region: string | undefined;
  readonly retryMode: 'adaptive';
  readonly maxAttempts: number;
  readonly requestHandler: HttpHandlerOptions;
}

/**
 * The configuration every client of the Lambda rule is created with: STS,
 * and EC2, Config and Security Hub for each account-region.
 *
 * @param region - the client's Region; `undefined` takes it from the
 *   environment (`AWS_REGION`)
 * @returns a fresh object: each client builds its own HTTP handler from it
 */
const sdkClientConfig = (region: string | undefined): SdkClientConfig => ({
  region,
  retryMode: 'adaptive',
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: { ...HTTP_HANDLER_OPTIONS },
});

export type { HttpHandlerOptions, SdkClientConfig };
export { HTTP_HANDLER_OPTIONS, MAX_ATTEMPTS, sdkClientConfig };
