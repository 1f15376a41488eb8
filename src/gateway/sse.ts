const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** `data: {json}\n\n` (and `event: name` when given). */
export function sseEvent(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/**
 * A streaming response pulled from an async iterator: one event per pull, so a slow client slows
 * the model stream (back-pressure) and a client that goes away cancels it (`return()` on the iterator).
 */
export function sseResponse(events: AsyncIterator<string>, headers: Record<string, string> = {}, onEnd?: () => void): Response {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd?.();
    }
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await events.next();
        if (done) {
          controller.close();
          end();
        } else controller.enqueue(encoder.encode(value));
      } catch (err) {
        end();
        controller.error(err);
      }
    },
    async cancel() {
      end();
      await events.return?.();
    },
  });
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
}
