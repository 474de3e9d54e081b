/**
 * Text of any size, shown without freezing the panel: one text node of a
 * megabyte (above all one unbroken run, or 100,000 lines) costs the browser
 * seconds of layout on every change. The text is cut into blocks of a few
 * kilobytes, at line ends where there are some; blocks off screen skip layout
 * (`content-visibility`), and a growing text changes only its last block.
 * Past a size, the middle waits behind "Show all".
 */
import { useRef, useState } from 'preact/hooks';

/** Characters per block, at most. */
export const PIECE_CHARS = 4096;
/** Past this, only the beginning and the end are shown until the user asks for all. */
export const COLLAPSE_CHARS = 100_000;
const HEAD_CHARS = 60_000;
const TAIL_CHARS = 20_000;

interface Cut {
  /** The text up to the last complete block: a longer text that starts with it keeps these blocks. */
  basis: string;
  /** Where each complete block ends. */
  ends: number[];
}

/**
 * The end of the block that starts at `start`: after the last line end in its second half, or else after its
 * last space or tab there (a cut inside a line shows as a line break), or at the limit, never between the two
 * halves of a character.
 */
function blockEnd(text: string, start: number): number {
  const from = start + PIECE_CHARS / 2;
  const limit = start + PIECE_CHARS;
  // Searched in the window alone: a text without line ends must not be scanned back to its start for each block.
  const window = text.slice(from, limit);
  const newline = window.lastIndexOf('\n');
  if (newline !== -1) return from + newline + 1;
  const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
  if (space !== -1) return from + space + 1;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** Block ends of `text`, reusing those of the text it grew from. */
function cut(text: string, previous: Cut | undefined): Cut {
  const reusable = previous !== undefined && text.length >= previous.basis.length && text.startsWith(previous.basis);
  // The previous cut is replaced by this one: its list of ends can grow in place.
  const ends = reusable ? previous.ends : [];
  let start = ends[ends.length - 1] ?? 0;
  while (text.length - start > PIECE_CHARS) {
    start = blockEnd(text, start);
    ends.push(start);
  }
  return { basis: text.slice(0, start), ends };
}

export function LongText({ text, className, testId, block = 'div' }: { text: string; className: string; testId?: string | undefined; block?: 'div' | 'pre' }) {
  const [expandedFor, setExpandedFor] = useState<string | undefined>(undefined);
  const previous = useRef<Cut | undefined>(undefined);
  const Block = block;
  if (text.length <= PIECE_CHARS) {
    return (
      <Block class={className} data-testid={testId}>
        {text}
      </Block>
    );
  }
  const { ends } = (previous.current = cut(text, previous.current));
  // "Show all" holds for this text as it grows, not for another text shown in the same place.
  const expanded = expandedFor !== undefined && text.startsWith(expandedFor);
  const blocks: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const end of [...ends, text.length]) {
    if (end > start) blocks.push({ start, end });
    start = end;
  }
  const collapsed = !expanded && text.length > COLLAPSE_CHARS;
  const shown = collapsed ? blocks.filter((piece) => piece.start < HEAD_CHARS || piece.end > text.length - TAIL_CHARS) : blocks;
  const hidden = text.length - shown.reduce((sum, piece) => sum + piece.end - piece.start, 0);
  const firstTail = shown.findIndex((piece) => piece.start >= HEAD_CHARS);
  const render = (piece: { start: number; end: number }) => (
    <span class="text-block" key={piece.start}>
      {text.slice(piece.start, piece.end)}
    </span>
  );
  return (
    <Block class={`${className} long-text`} data-testid={testId} data-chars={text.length}>
      {collapsed && firstTail !== -1 ? shown.slice(0, firstTail).map(render) : shown.map(render)}
      {collapsed && hidden > 0 ? (
        <button type="button" class="show-all" data-testid="show-all" onClick={() => setExpandedFor(text.slice(0, PIECE_CHARS))}>
          Show all: {hidden.toLocaleString('en-US')} more characters ({text.length.toLocaleString('en-US')} in all)
        </button>
      ) : null}
      {collapsed && firstTail !== -1 ? shown.slice(firstTail).map(render) : null}
    </Block>
  );
}
