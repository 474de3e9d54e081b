import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wholeCharactersLength } from '../../extension/core/utf8.ts';

describe('wholeCharactersLength: a UTF-8 run cut between characters', () => {
  it('cuts before a character whose bytes have not all arrived, and decodes both sides alone as the whole', () => {
    const text = 'aé€😀b\u0800\u{10ffff}z'.repeat(3);
    const bytes = new TextEncoder().encode(text);
    for (let end = 0; end <= bytes.length; end++) {
      const cut = wholeCharactersLength(bytes, end);
      assert.ok(cut <= end && end - cut <= 3, `end ${end}: cut ${cut}`);
      const head = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, cut));
      const tail = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(cut));
      assert.equal(head + tail, text, `end ${end}`);
      // Nothing whole is held back.
      if (cut < end) assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(cut, end)));
    }
  });

  it('leaves invalid bytes where they are: the decoder replaces them, as it would have', () => {
    assert.equal(wholeCharactersLength([0x61, 0xff], 2), 2);
    assert.equal(wholeCharactersLength([0x80, 0x80, 0x80, 0x80], 4), 4);
    assert.equal(wholeCharactersLength([0xe2, 0x82], 2), 0);
    assert.equal(wholeCharactersLength([], 0), 0);
  });
});
