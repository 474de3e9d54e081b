/**
 * The big transcript of the benchmarks: a HAR of 2,000 real Responses calls
 * (about 100 MB), the smallest recordings repeated so that an entry averages
 * about 50 KB.
 */
import { writeFileSync } from 'node:fs';
import { buildTranscript, callsOfInput, readInput, stringifyJson, type TranscriptCall } from '../../extension/core/index.ts';
import { fixtureNames, readFixture } from '../helpers/streams.ts';

export const BIG_HAR_CALLS = 2_000;

export function writeBigHar(path: string): void {
  const sized = fixtureNames()
    .map((name) => {
      const text = readFixture(name);
      const call = callsOfInput(`${name}.sse`, text, readInput(text))[0] as TranscriptCall;
      return { call, bytes: stringifyJson(buildTranscript([call]), 2).length };
    })
    .sort((a, b) => a.bytes - b.bytes);
  const base: TranscriptCall[] = [];
  let total = 0;
  for (const { call, bytes } of sized) {
    if (base.length > 0 && (total + bytes) / (base.length + 1) > 50_000) break;
    base.push(call);
    total += bytes;
  }
  const calls = Array.from({ length: BIG_HAR_CALLS }, (_, index) => ({ ...(base[index % base.length] as TranscriptCall), startedAt: 1_790_000_000_000 + index * 1000 }));
  writeFileSync(path, stringifyJson(buildTranscript(calls), 2));
}
