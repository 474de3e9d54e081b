/**
 * What must hold for every input, however broken: the core either reads it or
 * refuses it with an UnreadableBodyError (never another exception), every
 * result can be summarised, printed as text and as JSON, and exported as a HAR
 * that reads back the same; reading in chunks gives what reading whole gives;
 * no prototype is touched.
 */
import {
  buildTranscript,
  callsOfInput,
  readInput,
  ResponsesStreamReader,
  stringifyJson,
  summarizeRecord,
  UnreadableBodyError,
  type InputReading,
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { formatResponseText } from '../../extension/cli/format-text.ts';
import { randomChunks } from '../helpers/streams.ts';
import { caseSeed, Rng, type FuzzCase } from './cases.ts';

export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

function prototypeShape(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((prototype) => Object.getOwnPropertyNames(prototype).sort().join(','))
    .join('|');
}

const cleanShape = prototypeShape();

/** Throws when anything was added to (or removed from) the built-in prototypes. */
export function checkPrototypes(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined) throw new FuzzFailure('Object.prototype was polluted');
  if (prototypeShape() !== cleanShape) throw new FuzzFailure('a built-in prototype changed');
}

export type CaseOutcome = 'read' | 'unreadable';

export function checkCase(fuzzCase: FuzzCase): CaseOutcome {
  const { input } = fuzzCase;
  let reading: InputReading;
  try {
    reading = readInput(input);
  } catch (error) {
    if (!(error instanceof UnreadableBodyError)) throw error;
    if (error.message === '' || error.message.includes('\n')) throw new FuzzFailure(`an unreadable input's message is not one line: ${JSON.stringify(error.message)}`);
    checkPrototypes();
    return 'unreadable';
  }
  if (reading.responses.length === 0) throw new FuzzFailure('read, but no response');

  const summaries = reading.responses.map(summarizeRecord);
  const whole = stringifyJson({ responses: summaries }, 2);
  summaries.forEach((summary, index) => formatResponseText({ summary, view: (reading.responses[index] as ResponseRecord).response }, index, summaries.length));

  if (reading.kind === 'sse') {
    // The decoder's promise: frames never depend on where the chunks were cut.
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const reader = new ResponsesStreamReader();
    const rng = new Rng(caseSeed(fuzzCase.seed ^ 0x5eed, fuzzCase.index));
    // Chunks small enough to cut anywhere, few enough that a giant input stays quick.
    const maxChunk = Math.max(rng.pick([1, 7, 100, 4096]), Math.ceil(bytes.length / 20_000));
    for (const chunk of randomChunks(bytes, () => rng.float(), maxChunk)) reader.push(chunk);
    reader.end();
    const chunked = stringifyJson({ responses: reader.responses.map(summarizeRecord) }, 2);
    if (chunked !== whole) throw new FuzzFailure('reading in chunks gives another result than reading whole');
  }

  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  const calls = callsOfInput('fuzz-case', text, reading);
  const responses = stringifyJson(reading.responses.map((record) => record.response));
  for (const keepSecrets of [true, false]) {
    const har = stringifyJson(buildTranscript(calls, { keepSecrets }), 2);
    let back: InputReading;
    try {
      back = readInput(har);
    } catch (error) {
      throw new FuzzFailure(`the HAR written from a readable input does not read back (keepSecrets ${keepSecrets}): ${(error as Error).message}`);
    }
    if (keepSecrets && stringifyJson(back.responses.map((record) => record.response)) !== responses) {
      throw new FuzzFailure('the HAR written from an input reads back other responses');
    }
  }
  checkPrototypes();
  return 'read';
}
