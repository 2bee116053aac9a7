import { AtomicWriteError } from '../atomic-write.js';

/** The AtomicWriteError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function atomicWriteRejection(promise: Promise<unknown>): Promise<AtomicWriteError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AtomicWriteError))
    throw new Error(`expected an AtomicWriteError, got ${String(error)}`);
  return error;
}
