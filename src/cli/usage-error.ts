/**
 * @module cli/usage-error
 * A bad command line (unknown option, missing argument). It is an `AppError` like every other error;
 * the subclass exists because it carries the usage text and maps to exit code 2, not 1.
 */
import { AppError } from '../core/errors'

export class UsageError extends AppError {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super('INVALID_INPUT', message)
    this.name = 'UsageError'
  }
}
