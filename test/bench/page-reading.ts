/**
 * What a page does with a stream in the page benchmarks, run inside the page
 * (by Playwright or puppeteer): read a whole body, or note when each chunk
 * arrived; and the latency of a paced stream from the server's writes.
 */
import type { ReplayServer } from '../server/replay-server.ts';

/** Reads the whole body the way a page does, and times it from the request to the last byte. */
export const readBody = async (route: string) => {
  const started = performance.now();
  const response = await fetch(`/r/${route}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' });
  const reader = response.body!.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return { ms: performance.now() - started, bytes };
};

/** Reads a paced stream at `path` and notes when each chunk arrived (epoch ms) and how many bytes had arrived by then. */
export const readPaced = async (path: string) => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' });
  const reader = response.body!.getReader();
  const arrivals: Array<[number, number]> = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    arrivals.push([performance.timeOrigin + performance.now(), bytes]);
  }
  return arrivals;
};

/** A page making `count` calls one after another, each read whole: the page's time for all. */
export const sequentialCalls = async ({ route, count }: { route: string; count: number }) => {
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await fetch(`/r/${route}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stream":true}' });
    await response.arrayBuffer();
  }
  return performance.now() - started;
};

export type Evaluator = <Argument, Result>(fn: (argument: Argument) => Promise<Result>, argument: Argument) => Promise<Result>;

/** An Evaluator over Playwright's or puppeteer's `page.evaluate` (their own typings wrap the argument and result). */
export function evaluatorOf(page: { evaluate(fn: never, argument: never): Promise<unknown> }): Evaluator {
  return (fn, argument) => page.evaluate(fn as never, argument as never) as never;
}

export interface Latency {
  median: number;
  p95: number;
  p99: number;
}

/** A Responses call's path: a stream there is captured. */
export const capturedPath = (route: string) => `/r/${route}/v1/responses`;
/** The same stream as plain text on another path: the extension lets it pass untouched. */
export const uncapturedPath = (route: string) => `/r/${route}/type/text%2Fplain/not-an-llm-call`;

/** Server write to page read of each frame of the last request's stream, read by the page as `arrivals`. */
function delaysOf(server: ReplayServer, arrivals: Array<[number, number]>): number[] {
  const request = server.requests[server.requests.length - 1];
  if (!request) return [];
  const delays: number[] = [];
  let written = 0;
  request.sent.forEach((chunk, index) => {
    written += chunk.length;
    const arrival = arrivals.find(([, bytes]) => bytes >= written);
    if (arrival) delays.push(arrival[0] - (request.sentAt[index] as number));
  });
  return delays;
}

function latencyOf(delays: number[]): Latency {
  delays.sort((a, b) => a - b);
  const at = (fraction: number) => delays[Math.min(delays.length - 1, Math.floor(delays.length * fraction))] as number;
  return { median: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Server write to page read, per frame of a paced stream, over `runs` reads (the first is a warm-up). */
export async function pacedLatency(server: ReplayServer, evaluate: Evaluator, route: string, runs = 7): Promise<Latency> {
  const delays: number[] = [];
  for (let run = 0; run < runs; run++) {
    const arrivals = await evaluate(readPaced, capturedPath(route));
    if (run > 0) delays.push(...delaysOf(server, arrivals));
  }
  return latencyOf(delays);
}

/**
 * The same in one browser, a read the extension captures and one it lets pass turn about: what capturing adds to
 * each frame, free of what differs between two launches (the page's clock against the server's moves by tenths of a
 * millisecond from one launch to the next, more than the difference measured).
 */
export async function capturedAndUncaptured(server: ReplayServer, evaluate: Evaluator, route: string, runs = 7): Promise<{ captured: Latency; uncaptured: Latency }> {
  const captured: number[] = [];
  const uncaptured: number[] = [];
  for (let run = 0; run < runs; run++) {
    for (const [path, delays] of [[capturedPath(route), captured], [uncapturedPath(route), uncaptured]] as const) {
      const arrivals = await evaluate(readPaced, path);
      if (run > 0) delays.push(...delaysOf(server, arrivals));
    }
  }
  return { captured: latencyOf(captured), uncaptured: latencyOf(uncaptured) };
}

/** The median time of reading `route` whole, over `runs` reads after two warm-ups. */
export async function burstMedian(evaluate: Evaluator, route: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    const { ms } = await evaluate(readBody, route);
    if (run >= 2) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * Runs every setup once a round, `rounds` times, in an order that turns each round, and returns each setup's
 * results in round order. Two launches of one browser differ by several per cent whatever runs in them: a figure
 * is then the median over the rounds, and no setup is always the first or the last launched.
 */
export async function inTurningRounds<Result, Name extends string>(setups: Record<Name, () => Promise<Result>>, rounds: number): Promise<Record<Name, Result[]>> {
  const order = Object.keys(setups) as Name[];
  const results = Object.fromEntries(order.map((name) => [name, [] as Result[]])) as Record<Name, Result[]>;
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < order.length; step++) {
      const name = order[(round + step) % order.length] as Name;
      results[name].push(await setups[name]());
    }
  }
  return results;
}

export const medianOf = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
