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

export class SseDecoder {
  private readonly textDecoder = new TextDecoder('utf-8');
  private partialLine = '';
  /** The previous chunk ended in CR, so a leading LF in the next one belongs to it. */
  private pendingCR = false;
  private atStreamStart = true;
  private dataLines: string[] = [];
  private eventName: string | undefined;
  private lastEventId: string | undefined;
  private retry: number | undefined;
  /** Comment lines seen (`: …`); servers use them as keep-alives. */
  commentCount = 0;
  /** Bytes received so far. */
  byteCount = 0;

  /** Decodes one chunk; returns the frames it completed. */
  push(chunk: Uint8Array | string, receivedAt?: number): SseFrame[] {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
      this.byteCount += utf8Length(chunk);
    } else {
      this.byteCount += chunk.byteLength;
      text = this.textDecoder.decode(chunk, { stream: true });
    }
    const frames: SseFrame[] = [];
    this.consumeText(text, receivedAt, frames);
    return frames;
  }

  /** Flushes at end of stream; a frame without its blank line is returned marked `unterminated`. */
  end(receivedAt?: number): SseFrame[] {
    const frames: SseFrame[] = [];
    this.consumeText(this.textDecoder.decode(), receivedAt, frames);
    if (this.partialLine !== '') {
      const line = this.partialLine;
      this.partialLine = '';
      this.processLine(line, receivedAt, frames);
    }
    if (this.dataLines.length > 0) {
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
    let nextLF = text.indexOf('\n', start);
    let nextCR = text.indexOf('\r', start);
    while (nextLF !== -1 || nextCR !== -1) {
      const lineEnd = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      const lineText = text.slice(start, lineEnd);
      const line = this.partialLine === '' ? lineText : this.partialLine + lineText;
      this.partialLine = '';
      start = lineEnd + 1;
      if (text.charCodeAt(lineEnd) === CR) {
        if (start === text.length) this.pendingCR = true;
        else if (text.charCodeAt(start) === LF) start += 1;
      }
      this.processLine(line, receivedAt, frames);
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
    }
    if (start < text.length) this.partialLine += text.slice(start);
  }

  private processLine(line: string, receivedAt: number | undefined, frames: SseFrame[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        const frame = this.takeFrame(receivedAt);
        // The standard drops a frame whose data is empty.
        if (frame.data !== '') frames.push(frame);
      }
      this.resetFrame();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      this.commentCount += 1;
      return;
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.dataLines.push(value);
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

  private takeFrame(receivedAt: number | undefined): SseFrame {
    const frame: SseFrame = {
      data: this.dataLines.length === 1 ? (this.dataLines[0] as string) : this.dataLines.join('\n'),
    };
    if (this.eventName !== undefined && this.eventName !== '') frame.event = this.eventName;
    if (this.lastEventId !== undefined) frame.id = this.lastEventId;
    if (this.retry !== undefined) frame.retry = this.retry;
    if (receivedAt !== undefined) frame.receivedAt = receivedAt;
    return frame;
  }

  private resetFrame(): void {
    this.dataLines = [];
    this.eventName = undefined;
    this.retry = undefined;
  }
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
