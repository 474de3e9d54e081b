import type { ComponentChildren } from 'preact';
import { isJsonObject, stringifyJson, type ContentPart, type ItemMeta, type JsonObject, type JsonValue, type OutputItem, type ResponseRecord } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { prettyJson } from '../format.ts';
import { LongText } from './LongText.tsx';
import { replayOf, Timeline } from './Timeline.tsx';
import { contentText, requestBodyOf } from './RequestView.tsx';
import { Markdown, MARKDOWN_MAX_CHARS, looksLikeMarkdown } from './Markdown.tsx';
import type { PanelStore } from '../model/panel-store.ts';
import { useMemo } from 'preact/hooks';
import { AnswerContext, ItemAnswer } from './ToolAnswer.tsx';

function parts(value: unknown): ContentPart[] {
  return Array.isArray(value) ? (value.filter(isJsonObject) as ContentPart[]) : [];
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : stringifyJson(value);
}

/** Only web links become links: a model-supplied `javascript:` URL stays text. */
function SafeLink({ url, children }: { url: string; children: ComponentChildren }) {
  let safe = false;
  try {
    safe = ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    safe = false;
  }
  return safe ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ) : (
    <span>{children}</span>
  );
}

function ItemCard({ item, index, meta, title, children }: { item: OutputItem; index: number; meta: ItemMeta | undefined; title: ComponentChildren; children?: ComponentChildren }) {
  const progress = meta?.progress && meta.progress !== item.status ? meta.progress : undefined;
  return (
    <article class={`item item-${item.type}`} data-testid="output-item" data-item-type={item.type} aria-label={`output ${index}: ${item.type}`}>
      <header class="item-header">
        {/* The index the stream gave the item: after a gap in a broken stream, not its place in the list. */}
        <span class="item-index">#{meta?.outputIndex ?? index}</span>
        <span class="item-type">{item.type}</span>
        <span class="item-title">{title}</span>
        {item.status ? <span class={`item-status item-status-${item.status}`}>{item.status}</span> : null}
        {progress ? <span class="item-status">{progress}</span> : null}
        {meta?.partial ? <span class="item-status" title="The stream never showed this item's beginning">partial</span> : null}
      </header>
      {children}
      <ItemAnswer item={item} />
    </article>
  );
}

/** One source a message cites, however many times: its annotations (url citations by URL, files by id). */
interface Source {
  key: string;
  annotation: JsonObject;
  citations: number;
}

function sourceKey(annotation: JsonObject): string {
  return annotation.type === 'url_citation' ? `url ${text(annotation.url)}` : `${text(annotation.type)} ${text(annotation.file_id ?? annotation.filename ?? annotation.container_id)}`;
}

function sourcesOf(annotations: JsonObject[]): Source[] {
  const sources = new Map<string, Source>();
  for (const annotation of annotations) {
    const key = sourceKey(annotation);
    const known = sources.get(key);
    if (known) known.citations++;
    else sources.set(key, { key, annotation, citations: 1 });
  }
  return [...sources.values()];
}

/** A cited source, numbered by the list it is in (once, however often the text cites it). */
function SourceItem({ source, number }: { source: Source; number: number }) {
  const { annotation, citations } = source;
  const times = citations > 1 ? <span class="sub"> · cited {citations} times</span> : null;
  if (annotation.type === 'url_citation') {
    const url = text(annotation.url);
    return (
      <li data-testid="source" data-source-number={number}>
        <SafeLink url={url}>{text(annotation.title) || url}</SafeLink> <span class="sub">{url}</span>
        {times}
      </li>
    );
  }
  return (
    <li data-testid="source" data-source-number={number}>
      {text(annotation.type)} {text(annotation.filename ?? annotation.file_id)}
      {times}
    </li>
  );
}

/** Where each citation ends in the text, and the number of the source it cites (its place in the source list). */
function citationMarks(annotations: JsonObject[], sources: Source[], length: number): Array<{ at: number; number: number }> {
  const numberOf = new Map(sources.map((source, index) => [source.key, index + 1]));
  const marks: Array<{ at: number; number: number }> = [];
  for (const annotation of annotations) {
    const at = annotation.end_index;
    const number = numberOf.get(sourceKey(annotation));
    if (typeof at === 'number' && Number.isInteger(at) && at >= 0 && at <= length && number !== undefined) marks.push({ at, number });
  }
  return marks;
}

function MessageText({ text, markdown, marks }: { text: string; markdown: boolean; marks: Array<{ at: number; number: number }> }) {
  // Looked for once per text, not on every render of the panel.
  const usesMarkdown = useMemo(() => text.length <= MARKDOWN_MAX_CHARS && looksLikeMarkdown(text), [text]);
  if (markdown && text.length <= MARKDOWN_MAX_CHARS && (usesMarkdown || marks.length > 0)) return <Markdown text={text} testId="message-text" marks={marks} />;
  return <LongText className="text" testId="message-text" text={text} />;
}

function MessageBody({ item, markdown }: { item: OutputItem; markdown: boolean }) {
  return (
    <div class="message-body">
      {parts(item.content).map((part) => {
        if (part.type === 'refusal') {
          return (
            <div class="refusal" data-testid="refusal">
              <span class="label">Refusal</span>
              <LongText className="text" text={part.refusal ?? ''} />
            </div>
          );
        }
        const annotations = objects(part.annotations);
        const sources = sourcesOf(annotations);
        const text = part.text ?? '';
        return (
          <div class="message-part">
            <MessageText text={text} markdown={markdown} marks={citationMarks(annotations, sources, text.length)} />
            {sources.length > 0 ? (
              <ol class="annotations" data-testid="annotations" aria-label="Sources">
                {sources.map((source, index) => (
                  <SourceItem key={source.key} source={source} number={index + 1} />
                ))}
              </ol>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

function Code({ value, testId }: { value: string; testId?: string }) {
  return <LongText block="pre" className="code" testId={testId} text={value} />;
}

function Arguments({ value, done }: { value: string; done: boolean }) {
  // While arguments stream they are partial JSON: show them as they come, pretty once complete.
  const pretty = useMemo(() => (done ? prettyJson(value) : { text: value, valid: false }), [value, done]);
  return <Code value={pretty.text} testId="arguments" />;
}

function Image({ b64, format, label }: { b64: string; format: string | undefined; label: string }) {
  return <img class="generated-image" alt={label} src={`data:image/${format ?? 'png'};base64,${b64}`} data-testid="generated-image" />;
}

function ItemView({ item, index, meta, markdown }: { item: OutputItem; index: number; meta: ItemMeta | undefined; markdown: boolean }) {
  const done = item.status !== 'in_progress' && item.status !== undefined;
  switch (item.type) {
    case 'message':
      return (
        <ItemCard item={item} index={index} meta={meta} title={`${text(item.role) || 'assistant'}${typeof item.phase === 'string' ? ` · ${item.phase}` : ''}`}>
          <MessageBody item={item} markdown={markdown} />
        </ItemCard>
      );
    case 'reasoning': {
      const summary = parts(item.summary);
      const reasoningText = parts(item.content);
      const encrypted = typeof item.encrypted_content === 'string' ? ` · encrypted content ${item.encrypted_content.length} chars` : '';
      if (summary.length === 0 && reasoningText.length === 0) {
        // Nothing to read: one line, not a card.
        return (
          <div class="item-compact" data-testid="output-item" data-item-type="reasoning" data-compact="true" aria-label={`output ${index}: reasoning, no summary`}>
            <span class="item-index">#{meta?.outputIndex ?? index}</span> reasoning <span class="sub">· no summary{encrypted}</span>
            {item.status ? <span class={`item-status item-status-${item.status}`}>{item.status}</span> : null}
          </div>
        );
      }
      // Collapsed to a line that previews it: the answer is what a reader looks for first.
      const preview = (summary[0]?.text ?? reasoningText[0]?.text ?? '').replace(/\s+/g, ' ').slice(0, 160);
      return (
        <ItemCard item={item} index={index} meta={meta} title="reasoning">
          <details class="reasoning" data-testid="reasoning">
            <summary>
              Summary{summary.length > 1 ? ` (${summary.length} parts)` : ''}
              {encrypted ? <span class="sub">{encrypted}</span> : null}
              <span class="reasoning-preview" data-testid="reasoning-preview">
                {preview}
              </span>
            </summary>
            {summary.map((part) => (
              <LongText className="text reasoning-text" testId="reasoning-summary" text={part.text ?? ''} />
            ))}
            {reasoningText.map((part) => (
              <LongText className="text reasoning-text raw-reasoning" testId="reasoning-text" text={part.text ?? ''} />
            ))}
          </details>
        </ItemCard>
      );
    }
    case 'function_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title={<><b>{text(item.name)}</b> <span class="sub">{text(item.call_id)}</span></>}>
          <Arguments value={text(item.arguments)} done={done} />
        </ItemCard>
      );
    case 'custom_tool_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title={<><b>{text(item.name)}</b> <span class="sub">{text(item.call_id)}</span></>}>
          <Code value={text(item.input)} testId="custom-input" />
        </ItemCard>
      );
    case 'mcp_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title={<><b>{text(item.server_label)}.{text(item.name)}</b></>}>
          <Arguments value={text(item.arguments)} done={done} />
          {item.output !== undefined && item.output !== null ? <Code value={text(item.output)} testId="mcp-output" /> : null}
          {item.error ? <div class="problem">{text(item.error)}</div> : null}
        </ItemCard>
      );
    case 'mcp_list_tools':
      return (
        <ItemCard item={item} index={index} meta={meta} title={text(item.server_label)}>
          <p>{objects(item.tools).map((tool) => text(tool.name)).join(', ') || 'No tools listed yet.'}</p>
        </ItemCard>
      );
    case 'code_interpreter_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title="code interpreter">
          <Code value={text(item.code)} testId="interpreter-code" />
          {objects(item.outputs).map((output) =>
            output.type === 'logs' ? <Code value={text(output.logs)} testId="interpreter-logs" /> : <p class="sub">{text(output.type)} {text(output.url)}</p>,
          )}
        </ItemCard>
      );
    case 'web_search_call': {
      const action = isJsonObject(item.action) ? item.action : undefined;
      const sources = action ? objects(action.sources) : [];
      return (
        <ItemCard item={item} index={index} meta={meta} title="web search">
          {action ? (
            <p>
              {text(action.type)}: {text(action.query ?? action.url ?? action.pattern)}
            </p>
          ) : null}
          {sources.length > 0 ? (
            <ul class="sources">
              {sources.map((source) => (
                <li>
                  <SafeLink url={text(source.url)}>{text(source.url)}</SafeLink>
                </li>
              ))}
            </ul>
          ) : null}
        </ItemCard>
      );
    }
    case 'file_search_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title="file search">
          <p>{(Array.isArray(item.queries) ? item.queries : []).map(text).join(' · ')}</p>
          {Array.isArray(item.results) ? <p class="sub">{item.results.length} result(s)</p> : null}
        </ItemCard>
      );
    case 'image_generation_call':
      return (
        <ItemCard item={item} index={index} meta={meta} title="image generation">
          {typeof item.result === 'string' && item.result !== '' ? (
            <Image b64={item.result} format={text(item.output_format) || undefined} label="generated image" />
          ) : meta?.partialImage ? (
            <Image b64={meta.partialImage.b64} format={meta.partialImage.outputFormat} label={`partial image ${meta.partialImage.index}`} />
          ) : null}
          {typeof item.revised_prompt === 'string' ? <p class="sub">{item.revised_prompt}</p> : null}
        </ItemCard>
      );
    case 'shell_call': {
      const action = isJsonObject(item.action) ? item.action : {};
      return (
        <ItemCard item={item} index={index} meta={meta} title="shell">
          <Code value={(Array.isArray(action.commands) ? action.commands : []).map((command) => `$ ${text(command)}`).join('\n')} testId="shell-commands" />
        </ItemCard>
      );
    }
    case 'shell_call_output':
      return (
        <ItemCard item={item} index={index} meta={meta} title="shell output">
          {objects(item.output).map((output) => (
            <>
              <Code value={text(output.stdout)} testId="shell-stdout" />
              {output.stderr ? <Code value={text(output.stderr)} testId="shell-stderr" /> : null}
            </>
          ))}
        </ItemCard>
      );
    case 'apply_patch_call': {
      const operation = isJsonObject(item.operation) ? item.operation : {};
      return (
        <ItemCard item={item} index={index} meta={meta} title={`${text(operation.type)} ${text(operation.path)}`}>
          <Code value={text(operation.diff)} testId="patch-diff" />
        </ItemCard>
      );
    }
    default:
      return (
        <ItemCard item={item} index={index} meta={meta} title={text(item.name)}>
          <Code value={stringifyJson(item, 2)} />
        </ItemCard>
      );
  }
}

export function RecordView({ record, markdown }: { record: Pick<ResponseRecord, 'assembler'>; markdown: boolean }) {
  const { response, itemMeta, audioTranscript } = record.assembler;
  const error = isJsonObject(response.error) ? response.error : undefined;
  return (
    <div class="response-record">
      {error ? (
        <div class="problem error-box" data-testid="response-error">
          {text(error.code)} {text(error.message)}
        </div>
      ) : null}
      {isJsonObject(response.incomplete_details) ? <div class="problem">Incomplete: {text(response.incomplete_details.reason)}</div> : null}
      {response.output.length === 0 && !error ? <p class="sub">No output yet.</p> : null}
      {response.output.map((item, index) => (
        <ItemView item={item} index={index} meta={itemMeta[index]} markdown={markdown} />
      ))}
      {audioTranscript ? <LongText className="text" text={audioTranscript} /> : null}
    </div>
  );
}

/** What was asked: the request's last user message, with the instructions and the earlier input folded above it. */
function AskedFor({ capture }: { capture: PanelCapture }) {
  const { body } = requestBodyOf(capture);
  if (!body) return null;
  const input = body.input ?? body.messages;
  const items: JsonValue[] = typeof input === 'string' ? [{ role: 'user', content: input }] : Array.isArray(input) ? input : [];
  let lastUser = -1;
  items.forEach((item, index) => {
    if (isJsonObject(item) && (item.type === undefined || item.type === 'message') && item.role === 'user') lastUser = index;
  });
  const earlier = lastUser > 0 ? items.slice(0, lastUser) : [];
  const instructions = typeof body.instructions === 'string' && body.instructions !== '' ? body.instructions : typeof body.system === 'string' && body.system !== '' ? body.system : undefined;
  const asked = lastUser >= 0 ? (items[lastUser] as JsonObject) : undefined;
  if (!asked && !instructions && earlier.length === 0) return null;
  return (
    <section class="asked" data-testid="asked" aria-label="The request's input">
      {instructions || earlier.length > 0 ? (
        <details class="asked-context" data-testid="asked-context">
          <summary class="sub">
            {[instructions ? 'instructions' : '', earlier.length > 0 ? `${earlier.length} earlier input item${earlier.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')}
          </summary>
          {instructions ? <div class="text asked-instructions">{instructions}</div> : null}
          {earlier.map((item) => (
            <pre class="code">{stringifyJson(item, 2)}</pre>
          ))}
        </details>
      ) : null}
      {asked ? (
        <div class="asked-message">
          <span class="role">user</span>
          <div class="text" data-testid="asked-text">
            {contentText(asked.content ?? asked.parts)}
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** Model text as Markdown or as the plain text it is. */
function TextModeToggle({ store }: { store: PanelStore }) {
  return (
    <button
      type="button"
      class="link text-mode"
      data-testid="markdown-toggle"
      aria-pressed={!store.markdown}
      title={store.markdown ? 'Show model text as the plain text it is' : 'Show model text as Markdown'}
      onClick={() => store.setMarkdown(!store.markdown)}
    >
      {store.markdown ? 'Plain text' : 'Markdown'}
    </button>
  );
}

export function AssemblyView({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  const records = capture.records;
  const last = records[records.length - 1];
  // A finished response can be replayed; a live one grows on screen anyway.
  const replayable = last !== undefined && !capture.live && capture.loaded && last.events.length > 0;
  const position = replayable && store.replay?.captureId === capture.id ? store.replay.count : undefined;
  const replayed = useMemo(() => (position === undefined || !last ? undefined : replayOf(last).at(position)), [last, position, last?.events.length]);
  if (!last) {
    return (
      <div class="assembly" data-testid="assembly">
        <AskedFor capture={capture} />
        <p class="sub empty-view">{capture.live ? 'Waiting for the first event…' : 'Nothing to assemble.'}</p>
      </div>
    );
  }
  return (
    <AnswerContext.Provider value={{ store, capture }}>
      <div class="assembly" data-testid="assembly">
        {replayable ? <Timeline key={capture.id} capture={capture} record={last} store={store} /> : null}
        <TextModeToggle store={store} />
        <AskedFor capture={capture} />
        {records.map((record, index) => (
          <>
            {records.length > 1 ? <h3 class="record-title">Response {index + 1} of {records.length}: {record.response.id ?? ''}</h3> : null}
            {replayed && record === last ? (
              <div class="replayed" data-testid="replayed" data-count={replayed.count} data-status={replayed.status ?? ''}>
                <p class="sub replay-note">
                  As it stood after event {replayed.count}: status {replayed.status ?? '–'}
                </p>
                <RecordView record={replayed} markdown={store.markdown} />
              </div>
            ) : (
              <RecordView record={record} markdown={store.markdown} />
            )}
          </>
        ))}
      </div>
    </AnswerContext.Provider>
  );
}
