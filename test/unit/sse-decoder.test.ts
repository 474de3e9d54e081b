import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseDecoder, type SseFrame } from '../../extension/core/sse-decoder.ts';
import { seededRandom } from '../helpers/streams.ts';

function decodeAll(chunks: Array<Uint8Array | string>): SseFrame[] {
  const decoder = new SseDecoder();
  const frames: SseFrame[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  frames.push(...decoder.end());
  return frames;
}

const encoder = new TextEncoder();

describe('SseDecoder', () => {
  it('reads event, data, id and retry fields and skips comments', () => {
    const decoder = new SseDecoder();
    const frames = [
      ...decoder.push(': keep-alive\nevent: response.created\nid: 7\nretry: 1500\ndata: {"a":1}\n\ndata: {"b":2}\n\n'),
      ...decoder.end(),
    ];
    assert.deepEqual(frames, [
      { event: 'response.created', data: '{"a":1}', id: '7', retry: 1500 },
      { data: '{"b":2}', id: '7' },
    ]);
    assert.equal(decoder.commentCount, 1);
  });

  it('joins several data lines with a newline and strips only one leading space', () => {
    const frames = decodeAll(['data: first\ndata:  second\ndata:third\n\n']);
    assert.deepEqual(frames, [{ data: 'first\n second\nthird' }]);
  });

  it('treats LF, CRLF and CR line endings alike', () => {
    const lf = decodeAll(['event: x\ndata: 1\n\ndata: 2\n\n']);
    const crlf = decodeAll(['event: x\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n']);
    const cr = decodeAll(['event: x\rdata: 1\r\rdata: 2\r\r']);
    assert.deepEqual(crlf, lf);
    assert.deepEqual(cr, lf);
    assert.equal(lf.length, 2);
  });

  it('keeps a CRLF pair split across chunks as one line break', () => {
    const frames = decodeAll(['data: 1\r', '\n\r', '\ndata: 2\r\n\r\n']);
    assert.deepEqual(frames, [{ data: '1' }, { data: '2' }]);
  });

  it('gives the same frames at every split point, through multi-byte UTF-8 characters', () => {
    const text = 'event: response.output_text.delta\r\ndata: {"delta":"héllo → 世界 🎉"}\r\n\r\n: comment\rdata: [DONE]\n\n';
    const bytes = encoder.encode(text);
    const whole = decodeAll([bytes]);
    assert.equal(whole[0]?.data, '{"delta":"héllo → 世界 🎉"}');
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.deepEqual(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `split at byte ${cut}`);
    }
    assert.deepEqual(decodeAll(Array.from(bytes, (byte) => new Uint8Array([byte]))), whole, 'one byte at a time');
  });

  it('reads LF-only streams the same at every split point, whatever the fields look like', () => {
    const text =
      'event:response.output_text.delta\ndata:{"a":1}\n\n' +
      'event: x\ndata\ndata: two\n\n' +
      'dat: not data\nevents: not an event\ndata:  spaced\n\n' +
      ': comment\nid: 9\nretry: 20\nevent\ndata: d\n\n' +
      'data: é → 🎉\n\ndata: tail';
    const expected: SseFrame[] = [
      { event: 'response.output_text.delta', data: '{"a":1}' },
      { event: 'x', data: '\ntwo' },
      { data: ' spaced' },
      { data: 'd', id: '9', retry: 20 },
      { data: 'é → 🎉', id: '9' },
      { data: 'tail', id: '9', unterminated: true },
    ];
    assert.deepEqual(decodeAll([text]), expected);
    const bytes = encoder.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      assert.deepEqual(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `split at byte ${cut}`);
    }
    assert.deepEqual(decodeAll(Array.from(bytes, (byte) => new Uint8Array([byte]))), expected, 'one byte at a time');
  });

  it('drops frames with no data and ignores unknown fields', () => {
    assert.deepEqual(decodeAll(['event: ping\n\nfoo: bar\ndata: x\n\ndata:\n\n']), [{ data: 'x' }]);
  });

  it('returns an unterminated final frame marked as such', () => {
    assert.deepEqual(decodeAll(['data: {"a":1}\n\ndata: {"b":']), [{ data: '{"a":1}' }, { data: '{"b":', unterminated: true }]);
  });

  it('skips a byte-order mark at the start', () => {
    assert.deepEqual(decodeAll([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x64, 0x61, 0x74, 0x61, 0x3a, 0x31, 0x0a, 0x0a])]), [
      { data: '1' },
    ]);
  });

  it('decodes bytes as one streaming UTF-8 decoder would, however they are cut: characters across chunks, invalid bytes, byte-order marks', () => {
    const random = seededRandom(11);
    const pieces: number[][] = [
      [...encoder.encode('data: ')],
      [...encoder.encode('event: x\n')],
      [...encoder.encode('ab')],
      [10],
      [10, 10],
      [...encoder.encode('é')],
      [...encoder.encode('世')],
      [...encoder.encode('🎉')],
      [0xef, 0xbb, 0xbf],
      [0x80],
      [0xc3],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x8e],
      [0xff],
      [0xed, 0xa0, 0x80],
    ];
    for (let round = 0; round < 400; round++) {
      const bytes: number[] = [];
      for (let count = 1 + Math.floor(random() * 30); count > 0; count--) bytes.push(...(pieces[Math.floor(random() * pieces.length)] as number[]));
      const whole = new Uint8Array(bytes);
      // The reference: the standard decoder over all the bytes at once (it drops one leading mark), then the text.
      const expected = decodeAll([new TextDecoder().decode(whole)]);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < whole.length; ) {
        const size = 1 + Math.floor(random() * 7);
        chunks.push(whole.subarray(at, at + size));
        at += size;
      }
      assert.deepEqual(decodeAll(chunks), expected, `bytes ${[...whole].map((byte) => byte.toString(16)).join(' ')}`);
    }
  });

  it('drops two byte-order marks at the start, and keeps one anywhere else', () => {
    const bom = [0xef, 0xbb, 0xbf];
    assert.deepEqual(decodeAll([new Uint8Array([...bom, ...bom, ...encoder.encode('data: 1\n\n')])]), [{ data: '1' }]);
    assert.deepEqual(decodeAll([new Uint8Array(bom), new Uint8Array([...bom, ...encoder.encode('data: 1\n\n')])]), [{ data: '1' }]);
    assert.deepEqual(decodeAll([new Uint8Array([...bom, ...bom, ...bom, ...encoder.encode('data: 1\n\n')])]), []);
    assert.deepEqual(decodeAll([encoder.encode('data: a'), new Uint8Array([...bom, ...encoder.encode('b\n\n')])]), [{ data: 'a\ufeffb' }]);
  });

  it('stamps each frame with the time of the chunk that completed it', () => {
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push('data: a\n', 100), []);
    assert.deepEqual(decoder.push('\ndata: b\n\n', 250), [
      { data: 'a', receivedAt: 250 },
      { data: 'b', receivedAt: 250 },
    ]);
  });
});
