import type { ErrorReason } from '@ks-gpu-ml/contracts';

// The errors every layer may raise: the clients (I/O), the platform (HTTP core) and the features all throw these,
// and this leaf imports nothing of theirs, so none of them has to import another to raise one (docs/adr/0023).

/** A message: its locale key (locales/<lang>/backend.json) and parameters. */
export interface Message {
  key: string;
  params: Record<string, unknown>;
}

/**
 * An error that carries its answer: status, reason and a message key. Only AppErrors carry their message to the
 * caller; core/errors.ts turns anything else into a 500 that shows the request id and nothing of the cause.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: ErrorReason,
    /** Locale key of the user-facing message (locales/<lang>/backend.json). */
    readonly key: string,
    readonly params: Record<string, unknown> = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${reason}: ${key} ${JSON.stringify(params)}`);
  }
}

/** A setting is missing or wrong: the process stops at start-up naming the key and what it expects. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expectation: string,
    readonly got: unknown,
  ) {
    super(
      `invalid configuration: ${key} ${expectation}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
    );
  }
}
