import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LightAbortController, toAbortSignal } from '../../src/core/cancel.js';

describe('LightAbortController', () => {
  it('aborts once: listeners, onabort and throwIfAborted see the reason', () => {
    const ctl = new LightAbortController();
    const seen: unknown[] = [];
    const listener = () => seen.push(ctl.signal.reason);
    ctl.signal.addEventListener('abort', listener);
    ctl.signal.addEventListener('abort', listener); // the same listener counts once, as on an EventTarget
    ctl.signal.onabort = (ev) => seen.push(`onabort:${ev.type}`);
    expect(ctl.signal.aborted).toBe(false);
    expect(() => ctl.signal.throwIfAborted()).not.toThrow();

    const reason = new Error('stop');
    ctl.abort(reason);
    ctl.abort(new Error('again')); // a second abort changes nothing
    expect(ctl.signal.aborted).toBe(true);
    expect(ctl.signal.reason).toBe(reason);
    expect(seen).toEqual(['onabort:abort', reason]);
    expect(() => ctl.signal.throwIfAborted()).toThrow(reason);
  });

  it('drops removed listeners and calls handleEvent objects; the default reason is an AbortError', () => {
    const ctl = new LightAbortController();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    ctl.signal.addEventListener('abort', removed);
    ctl.signal.removeEventListener('abort', removed);
    ctl.signal.addEventListener('abort', { handleEvent: (ev: Event) => calls.push(`handled ${ev.type}`) });
    ctl.signal.addEventListener('other' as 'abort', () => calls.push('other'));
    ctl.abort();
    expect(calls).toEqual(['handled abort']);
    expect((ctl.signal.reason as DOMException).name).toBe('AbortError');
  });

  it('a once listener runs once and may remove others while the abort is dispatched', () => {
    const ctl = new LightAbortController();
    const calls: string[] = [];
    const second = () => calls.push('second');
    ctl.signal.addEventListener('abort', () => {
      calls.push('first');
      ctl.signal.removeEventListener('abort', second);
    }, { once: true });
    ctl.signal.addEventListener('abort', second);
    ctl.abort();
    // Like an EventTarget, the listeners of one dispatch are fixed when it starts.
    expect(calls).toEqual(['first', 'second']);
  });

  it('a listener that throws does not stop the others; its error surfaces as uncaught, as on an EventTarget', () => {
    const ctl = new LightAbortController();
    const calls: string[] = [];
    const boom = new Error('listener failed');
    ctl.signal.addEventListener('abort', () => {
      throw boom;
    });
    ctl.signal.addEventListener('abort', () => calls.push('after'));
    const deferred: Array<() => void> = [];
    const tick = vi.spyOn(process, 'nextTick').mockImplementation(((fn: () => void) => void deferred.push(fn)) as typeof process.nextTick);
    try {
      expect(() => ctl.abort()).not.toThrow();
    } finally {
      tick.mockRestore();
    }
    expect(calls).toEqual(['after']);
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]!()).toThrow(boom);
  });
});

describe('toAbortSignal', () => {
  it('returns a branded signal that follows the light one (usable with AbortSignal.any)', () => {
    const ctl = new LightAbortController();
    const real = toAbortSignal(ctl.signal);
    expect(real).toBeInstanceOf(AbortSignal);
    const any = AbortSignal.any([real, AbortSignal.timeout(60_000)]);
    const reason = new Error('client gone');
    ctl.abort(reason);
    expect(real.aborted).toBe(true);
    expect(any.reason).toBe(reason);
  });

  it('passes a real signal through and follows one already aborted', () => {
    const real = new AbortController().signal;
    expect(toAbortSignal(real)).toBe(real);
    const ctl = new LightAbortController();
    ctl.abort(new Error('early'));
    expect(toAbortSignal(ctl.signal).reason).toEqual(new Error('early'));
  });
});

describe('a light signal cancels an undici request (what openai-wire streams with)', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // Answers headers at once, then holds the body open.
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {}\n\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('aborting ends the body with the reason', async () => {
    const ctl = new LightAbortController();
    const res = await request(url, { signal: ctl.signal });
    const reading = (async () => {
      for await (const _chunk of res.body) {
        /* read until the abort */
      }
    })();
    const reason = new Error('the client closed the connection');
    ctl.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });

  it('an aborted signal refuses the request before it is sent', async () => {
    const ctl = new LightAbortController();
    const reason = new Error('too late');
    ctl.abort(reason);
    await expect(request(url, { signal: ctl.signal })).rejects.toBe(reason);
  });
});
