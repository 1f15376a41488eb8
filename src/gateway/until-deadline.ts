import { timedOut } from './middleware/deadline.js';

/**
 * `work`, or a rejection with the signal's reason as soon as the request's deadline passes — whichever comes
 * first. A call whose store does not answer (PostgreSQL frozen, a partition: an audit write that never returns)
 * otherwise held its caller past `server.requestTimeoutMs` without any answer; the deadline aborts the model call,
 * but a database query does not listen to it. The work goes on in the background and ends as it ends (its own
 * audit and usage); its late failure is not reported twice. A client that went away is not a deadline: `work` decides.
 */
export function untilDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (timedOut(signal)) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (!timedOut(signal)) return;
      work.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * End a stream's governed call (the route's `finally`). Once the deadline has passed, not waited for: the call's
 * generator may still be waiting for the store, and `return()` queues behind that — the response would stay open.
 */
export async function releaseCall(it: AsyncIterator<unknown>, signal: AbortSignal): Promise<void> {
  const closing = Promise.resolve(it.return?.(undefined));
  if (timedOut(signal)) {
    closing.catch(() => {});
    return;
  }
  await closing;
}
