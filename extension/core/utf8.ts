/**
 * Where a run of UTF-8 bytes can be cut so that each side decodes alone: the
 * start of a last character whose bytes have not all arrived, or the length
 * when the run ends on a whole character. Only the last three bytes are read.
 */
export function wholeCharactersLength(bytes: ArrayLike<number>, length: number): number {
  for (let back = 1; back <= 3 && back <= length; back++) {
    const byte = bytes[length - back] as number;
    if (byte < 0x80) return length;
    // A continuation byte: the character started further back.
    if (byte < 0xc0) continue;
    // No character starts with these: the decoder replaces the byte, wherever the cut.
    if (byte >= 0xf8) return length;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return size > back ? length - back : length;
  }
  return length;
}
