/**
 * Jest global teardown of the `integration` project: stops the moto server
 * that global setup started (SIGTERM, then SIGKILL after 5 s) and restores
 * the AWS environment variables.
 *
 * Jest loads this hook without the project's module mapper, so it imports
 * nothing relative: global setup leaves a `stop()` in `globalThis`.
 */

const MOTO_SERVER_KEY = Symbol.for('vpce-guard.integration.moto');

/** Stops moto if global setup started it. */
export default async function globalTeardown(): Promise<void> {
  const slot = globalThis as {
    [MOTO_SERVER_KEY]?: { stop(): Promise<void> } | undefined;
  };
  await slot[MOTO_SERVER_KEY]?.stop();
}
