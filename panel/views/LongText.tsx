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

/** The end of the block that starts at `start`: after the last line end in its second half, or at the limit. */
function blockEnd(text: string, start: number): number {
  const from = start + PIECE_CHARS / 2;
  const limit = start + PIECE_CHARS;
  // Searched in the window alone: a text without line ends must not be scanned back to its start for each block.
  const newline = text.slice(from, limit).lastIndexOf('\n');
  return newline === -1 ? limit : from + newline + 1;
}

/** Block ends of `text`, reusing those of the text it grew from. */
function cut(text: string, previous: Cut | undefined): Cut {
  const reusable = previous !== undefined && text.length >= previous.basis.length && text.startsWith(previous.basis);
  const ends = reusable ? [...previous.ends] : [];
  let start = ends[ends.length - 1] ?? 0;
  while (text.length - start > PIECE_CHARS) {
    start = blockEnd(text, start);
    ends.push(start);
  }
  return { basis: text.slice(0, start), ends };
}

export function LongText({ text, className, testId, block = 'div' }: { text: string; className: string; testId?: string | undefined; block?: 'div' | 'pre' }) {
  const [expanded, setExpanded] = useState(false);
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
        <button type="button" class="show-all" data-testid="show-all" onClick={() => setExpanded(true)}>
          Show all: {hidden.toLocaleString('en-US')} more characters ({text.length.toLocaleString('en-US')} in all)
        </button>
      ) : null}
      {collapsed && firstTail !== -1 ? shown.slice(firstTail).map(render) : null}
    </Block>
  );
}
