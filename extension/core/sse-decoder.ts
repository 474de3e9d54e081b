/**
 * Incremental Server-Sent Events decoder (the WHATWG "event stream" format).
 *
 * Bytes may arrive in any chunking: a chunk may end inside a line, between the
 * CR and LF of a CRLF pair, or inside a multi-byte UTF-8 character. The frames
 * produced never depend on where the chunks were cut.
 */

export interface SseFrame {
  /** The `event:` field, when the frame had one. */
  event?: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen (SSE ids persist across frames). */
  id?: string;
  /** A `retry:` value in this frame. */
  retry?: number;
  /** When the chunk that completed this frame was received (ms since epoch), if known. */
  receivedAt?: number;
  /** The stream ended before the frame's terminating blank line. */
  unterminated?: boolean;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;

/** Decoding options for every chunk but the last (one object, not one per chunk). */
const STREAM: TextDecodeOptions = { stream: true };

export class SseDecoder {
  /**
   * Two UTF-8 decoders: a chunk that ends in an ASCII byte, with no character
   * left open by the chunks before, is decoded on its own (Node decodes such
   * a whole buffer several times faster than a streamed one); the others go
   * through the streaming one, which keeps a character cut between chunks.
   * Neither drops a byte-order mark: that is done here, once, as a streaming
   * decoder would.
   */
  private readonly streamDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly wholeDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The streaming decoder may hold the start of a character. */
  private openCharacter = false;
  private decodedAny = false;
  private partialLine = '';
  /** The previous chunk ended in CR, so a leading LF in the next one belongs to it. */
  private pendingCR = false;
  private atStreamStart = true;
  /** The frame's data lines: most frames have one, kept without an array. */
  private firstData: string | undefined;
  private moreData: string[] | undefined;
  private eventName: string | undefined;
  private lastEventId: string | undefined;
  private retry: number | undefined;
  /** Comment lines seen (`: …`); servers use them as keep-alives. */
  commentCount = 0;

  /** Decodes one chunk; returns the frames it completed. */
  push(chunk: Uint8Array | string, receivedAt?: number): SseFrame[] {
    const text = typeof chunk === 'string' ? chunk : this.decode(chunk);
    const frames: SseFrame[] = [];
    this.consumeText(text, receivedAt, frames);
    return frames;
  }

  private decode(chunk: Uint8Array): string {
    const length = chunk.byteLength;
    if (length === 0) return '';
    const endsInAscii = (chunk[length - 1] as number) < 0x80;
    let text: string;
    if (endsInAscii && !this.openCharacter) text = this.wholeDecoder.decode(chunk);
    else {
      text = this.streamDecoder.decode(chunk, STREAM);
      // An ASCII byte ends any character before it, complete or not.
      this.openCharacter = !endsInAscii;
    }
    return this.withoutByteOrderMark(text);
  }

  /** The first character decoded, if a byte-order mark, is dropped (the first of the two the standard allows). */
  private withoutByteOrderMark(text: string): string {
    if (this.decodedAny || text === '') return text;
    this.decodedAny = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** Flushes at end of stream; a frame without its blank line is returned marked `unterminated`. */
  end(receivedAt?: number): SseFrame[] {
    const frames: SseFrame[] = [];
    this.consumeText(this.withoutByteOrderMark(this.streamDecoder.decode()), receivedAt, frames);
    this.openCharacter = false;
    if (this.partialLine !== '') {
      const line = this.partialLine;
      this.partialLine = '';
      this.processLine(line, 0, line.length, receivedAt, frames);
    }
    if (this.firstData !== undefined) {
      const frame = this.takeFrame(receivedAt);
      frame.unterminated = true;
      if (frame.data !== '') frames.push(frame);
    }
    this.resetFrame();
    return frames;
  }

  private consumeText(text: string, receivedAt: number | undefined, frames: SseFrame[]): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.atStreamStart) {
      if (text.charCodeAt(0) === 0xfeff) start = 1;
      this.atStreamStart = false;
    }
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(start) === LF) start += 1;
    }
    if (text.indexOf('\r', start) === -1) start = this.consumeLfLines(text, start, receivedAt, frames);
    else start = this.consumeLines(text, start, receivedAt, frames);
    if (start < text.length) this.partialLine += text.slice(start);
  }

  /** Lines ended by LF alone, as most servers write them: one search per line. Returns where the unfinished line starts. */
  private consumeLfLines(text: string, start: number, receivedAt: number | undefined, frames: SseFrame[]): number {
    let lineEnd = text.indexOf('\n', start);
    if (lineEnd !== -1 && this.partialLine !== '') {
      const line = this.partialLine + text.slice(start, lineEnd);
      this.partialLine = '';
      this.processLine(line, 0, line.length, receivedAt, frames);
      start = lineEnd + 1;
      lineEnd = text.indexOf('\n', start);
    }
    while (lineEnd !== -1) {
      if (lineEnd === start) this.dispatch(receivedAt, frames);
      else {
        const first = text.charCodeAt(start);
        if (first === 100 && text.charCodeAt(start + 4) === COLON && isData(text, start)) this.addData(text.slice(valueStart(text, start + 5, lineEnd), lineEnd));
        else if (first === 101 && text.charCodeAt(start + 5) === COLON && isEvent(text, start)) this.eventName = text.slice(valueStart(text, start + 6, lineEnd), lineEnd);
        else this.processLine(text, start, lineEnd, receivedAt, frames);
      }
      start = lineEnd + 1;
      lineEnd = text.indexOf('\n', start);
    }
    return start;
  }

  /** Lines ended by LF, CR or CRLF, a pair possibly split across chunks. Returns where the unfinished line starts. */
  private consumeLines(text: string, start: number, receivedAt: number | undefined, frames: SseFrame[]): number {
    let nextLF = text.indexOf('\n', start);
    let nextCR = text.indexOf('\r', start);
    while (nextLF !== -1 || nextCR !== -1) {
      const lineEnd = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      if (this.partialLine === '') this.processLine(text, start, lineEnd, receivedAt, frames);
      else {
        const line = this.partialLine + text.slice(start, lineEnd);
        this.partialLine = '';
        this.processLine(line, 0, line.length, receivedAt, frames);
      }
      start = lineEnd + 1;
      if (text.charCodeAt(lineEnd) === CR) {
        if (start === text.length) this.pendingCR = true;
        else if (text.charCodeAt(start) === LF) start += 1;
      }
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
    }
    return start;
  }

  /** A blank line: the frame read so far, if it has data. */
  private dispatch(receivedAt: number | undefined, frames: SseFrame[]): void {
    if (this.firstData !== undefined) {
      const frame = this.takeFrame(receivedAt);
      // The standard drops a frame whose data is empty.
      if (frame.data !== '') frames.push(frame);
    }
    this.resetFrame();
  }

  /** The line `text.slice(start, end)`, read where it lies: the usual `data:` and `event:` lines cost one slice, of the value. */
  private processLine(text: string, start: number, end: number, receivedAt: number | undefined, frames: SseFrame[]): void {
    if (start === end) {
      this.dispatch(receivedAt, frames);
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) {
      this.commentCount += 1;
      return;
    }
    if (first === 100 && text.charCodeAt(start + 4) === COLON && isData(text, start)) {
      this.addData(text.slice(valueStart(text, start + 5, end), end));
      return;
    }
    if (first === 101 && text.charCodeAt(start + 5) === COLON && isEvent(text, start)) {
      this.eventName = text.slice(valueStart(text, start + 6, end), end);
      return;
    }
    const line = text.slice(start, end);
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(valueStart(line, colon + 1, line.length));
    }
    switch (field) {
      case 'data':
        this.addData(value);
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // Unknown fields are ignored, as the SSE standard requires.
        break;
    }
  }

  private addData(value: string): void {
    if (this.firstData === undefined) this.firstData = value;
    else (this.moreData ??= []).push(value);
  }

  private takeFrame(receivedAt: number | undefined): SseFrame {
    const first = this.firstData as string;
    const frame: SseFrame = { data: this.moreData === undefined ? first : [first, ...this.moreData].join('\n') };
    if (this.eventName !== undefined && this.eventName !== '') frame.event = this.eventName;
    if (this.lastEventId !== undefined) frame.id = this.lastEventId;
    if (this.retry !== undefined) frame.retry = this.retry;
    if (receivedAt !== undefined) frame.receivedAt = receivedAt;
    return frame;
  }

  private resetFrame(): void {
    this.firstData = undefined;
    this.moreData = undefined;
    this.eventName = undefined;
    this.retry = undefined;
  }
}

// Character by character: cheaper than startsWith or a slice for a word this short.
function isData(text: string, start: number): boolean {
  return text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97;
}

function isEvent(text: string, start: number): boolean {
  return text.charCodeAt(start + 1) === 118 && text.charCodeAt(start + 2) === 101 && text.charCodeAt(start + 3) === 110 && text.charCodeAt(start + 4) === 116;
}

/** Where a field's value starts, the colon's one optional space skipped. */
function valueStart(text: string, afterColon: number, end: number): number {
  return afterColon < end && text.charCodeAt(afterColon) === SPACE ? afterColon + 1 : afterColon;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
