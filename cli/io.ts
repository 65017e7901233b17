/** Where the CLI writes; injected so tests can run commands in-process. */
interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** Exit statuses of `vpce-guard`. */
const ExitCode = {
  /** Nothing is NON_COMPLIANT. */
  CLEAN: 0,
  /** Something is NON_COMPLIANT. */
  NON_COMPLIANT: 1,
  /** Bad input or usage; the reason is one line on stderr. */
  BAD_INPUT: 2,
  /** The scan could not complete (an AWS failure or a bug). */
  FAILED: 3,
} as const;

export type { CliIo };
export { ExitCode };
