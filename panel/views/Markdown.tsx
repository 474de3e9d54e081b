/**
 * Model text as Markdown, made of Preact elements from `marked`'s tokens:
 * nothing the model wrote becomes live HTML. Raw HTML shows as its text, only
 * `http(s)` links are links, and an image is a link to it, never loaded (a
 * picture from the model's text would be a request leaving the browser).
 * `marked`: a maintained, dependency-free CommonMark/GFM lexer; its HTML
 * renderer is not used.
 */
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { Lexer, type Token, type Tokens } from 'marked';

/** Past this many characters the text stays plain: lexing it again on every render of a stream would cost too much. */
export const MARKDOWN_MAX_CHARS = 100_000;

/** Whether `text` uses any Markdown that renders differently from plain text (headings, emphasis, lists, links, code, tables, quotes). */
export function looksLikeMarkdown(text: string): boolean {
  return /(^|\n)\s{0,3}(#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>\s?|```|~~~|\|.*\|)|\*\*[^*\n]+\*\*|__[^_\n]+__|`[^`\n]+`|\[[^\]\n]+\]\([^)\s]+\)|(^|[^*\w])\*[^*\s][^*\n]*\*(?!\w)/.test(text);
}

function webUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function Link({ href, children }: { href: string; children: ComponentChildren }) {
  const url = webUrl(href);
  if (!url) return <span class="md-unsafe-link" title={href}>{children}</span>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function inline(tokens: Token[] | undefined): ComponentChildren {
  return (tokens ?? []).map((token) => inlineToken(token));
}

function inlineToken(token: Token): ComponentChildren {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : textWithMarks(text.text);
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return <strong>{inline((token as Tokens.Strong).tokens)}</strong>;
    case 'em':
      return <em>{inline((token as Tokens.Em).tokens)}</em>;
    case 'del':
      return <del>{inline((token as Tokens.Del).tokens)}</del>;
    case 'codespan':
      return <code>{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br />;
    case 'link': {
      const link = token as Tokens.Link;
      return <Link href={link.href}>{inline(link.tokens)}</Link>;
    }
    case 'image': {
      const image = token as Tokens.Image;
      return (
        <Link href={image.href}>
          <span class="md-image">image: {image.text || image.href}</span>
        </Link>
      );
    }
    default:
      // Raw HTML, and anything this renderer does not know: the text as written.
      return token.raw;
  }
}

function block(token: Token): ComponentChildren {
  switch (token.type) {
    case 'space':
      return null;
    case 'heading': {
      const heading = token as Tokens.Heading;
      // Under the panel's own headings: a level-1 heading of the model's is an h3.
      const Tag = `h${Math.min(6, Math.max(1, heading.depth) + 2)}` as 'h3';
      return <Tag class="md-heading">{inline(heading.tokens)}</Tag>;
    }
    case 'paragraph':
      return <p>{inline((token as Tokens.Paragraph).tokens)}</p>;
    case 'text': {
      const text = token as Tokens.Text;
      return <p>{text.tokens ? inline(text.tokens) : text.text}</p>;
    }
    case 'code':
      return (
        <pre class="code md-code" data-lang={(token as Tokens.Code).lang || undefined}>
          {(token as Tokens.Code).text}
        </pre>
      );
    case 'blockquote':
      return <blockquote>{(token as Tokens.Blockquote).tokens.map(block)}</blockquote>;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item) => (
        <li>
          {item.task ? <input type="checkbox" checked={item.checked === true} disabled /> : null}
          {item.tokens.map((child) => (child.type === 'text' && !list.loose ? inlineToken(child) : block(child)))}
        </li>
      ));
      return list.ordered ? <ol start={typeof list.start === 'number' ? list.start : undefined}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'table': {
      const table = token as Tokens.Table;
      return (
        <table class="md-table">
          <thead>
            <tr>
              {table.header.map((cell) => (
                <th>{inline(cell.tokens)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr>
                {row.map((cell) => (
                  <td>{inline(cell.tokens)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'hr':
      return <hr />;
    default:
      // Block HTML and anything unknown: its text, in a paragraph.
      return <p>{token.raw}</p>;
  }
}

const NO_MARKS: ReadonlyArray<{ at: number; number: number }> = [];

function marksKey(marks: ReadonlyArray<{ at: number; number: number }>): string {
  return marks.map((mark) => `${mark.at}:${mark.number}`).join(',');
}

/** Stands in the text for a citation's number while it is lexed: characters no model writes, read back as markers. */
const MARK = /\u2063\u2063(\d+)\u2063/g;

function withMarks(text: string, marks: ReadonlyArray<{ at: number; number: number }>): string {
  let marked = text;
  for (const mark of [...marks].sort((a, b) => b.at - a.at)) marked = `${marked.slice(0, mark.at)}\u2063\u2063${mark.number}\u2063${marked.slice(mark.at)}`;
  return marked;
}

/** A citation's number, after the words it supports; a click shows its source in the list below. */
function CitationMarker({ number }: { number: number }) {
  return (
    <sup
      class="cite"
      data-testid="citation-marker"
      title={`Source ${number}`}
      onClick={(event) => (event.currentTarget as HTMLElement).closest('.message-part')?.querySelector(`[data-source-number="${number}"]`)?.scrollIntoView({ block: 'nearest' })}
    >
      [{number}]
    </sup>
  );
}

function textWithMarks(text: string): ComponentChildren {
  if (!text.includes('\u2063')) return text;
  const pieces: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(MARK)) {
    pieces.push(text.slice(last, match.index));
    pieces.push(<CitationMarker number={Number(match[1])} />);
    last = (match.index ?? 0) + match[0].length;
  }
  pieces.push(text.slice(last));
  return pieces;
}

/**
 * `text` rendered as Markdown (see the module's note on what it never does), with citation markers at `marks`
 * (offsets in `text`, each the number of a source).
 */
export function Markdown({ text, testId, marks = NO_MARKS }: { text: string; testId?: string; marks?: ReadonlyArray<{ at: number; number: number }> }) {
  // The panel renders on every event of any response: the text is lexed again only when it (or its marks) changed.
  const tokens = useMemo(() => new Lexer({ gfm: true, breaks: false }).lex(withMarks(text, marks)), [text, marksKey(marks)]);
  return (
    <div class="markdown" data-testid={testId} data-markdown="true" data-chars={text.length} data-source={text}>
      {tokens.map(block)}
    </div>
  );
}
