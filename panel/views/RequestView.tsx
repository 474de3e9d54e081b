import { isJsonObject, redactBody, stringifyJson, redactHeaders, type HeaderList, type JsonObject, type JsonValue } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';

function Headers({ headers, testId }: { headers: HeaderList; testId: string }) {
  if (headers.length === 0) return <p class="sub">None recorded.</p>;
  return (
    <table class="kv headers" data-testid={testId}>
      <tbody>
        {headers.map((header) => (
          <tr>
            <th>{header.name}</th>
            <td class="mono">{header.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function contentText(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isJsonObject(part) ? (typeof part.text === 'string' ? part.text : `[${String(part.type)}]`) : String(part)))
      .join('\n');
  }
  return content === undefined ? '' : stringifyJson(content, 2);
}

/** A tool call's `arguments` (JSON in a string) as the JSON they are, as the Assembly view shows a call's arguments. */
function withArgumentsReadable(item: JsonObject): JsonObject {
  if (typeof item.arguments !== 'string') return item;
  try {
    return { ...item, arguments: JSON.parse(item.arguments) as JsonValue };
  } catch {
    return item;
  }
}

export function InputItem({ item }: { item: JsonValue }) {
  if (!isJsonObject(item)) return <pre class="code">{stringifyJson(item, 2)}</pre>;
  if (item.type === undefined || item.type === 'message') {
    return (
      <div class="input-message" data-testid="input-message">
        <span class="role">{String(item.role ?? 'user')}</span>
        <div class="text">{contentText(item.content ?? item.parts)}</div>
      </div>
    );
  }
  return (
    <div class="input-message">
      <span class="role">{String(item.type)}</span>
      <pre class="code">{stringifyJson(withArgumentsReadable(item), 2)}</pre>
    </div>
  );
}

/** The request's JSON body, credentials masked (they are kept for an explicit export only: views always mask them). */
export function requestBodyOf(capture: PanelCapture): { text: string | undefined; body: JsonObject | undefined } {
  const { start } = capture;
  const contentType = start.requestHeaders.find((header) => header.name.toLowerCase() === 'content-type')?.value;
  const text = start.requestBody === undefined ? undefined : redactBody(start.requestBody, contentType);
  try {
    const parsed: unknown = JSON.parse(text ?? '');
    return { text, body: isJsonObject(parsed) ? parsed : undefined };
  } catch {
    return { text, body: undefined };
  }
}

export function RequestView({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  const { start } = capture;
  const { text: requestBody, body } = requestBodyOf(capture);
  const previousId = body && typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
  const previous = previousId ? [...store.captures.values()].find((candidate) => candidate.responseIds.includes(previousId)) : undefined;
  // Chat Completions, Anthropic and the AI SDK's routes send `messages`, Anthropic its instructions as `system`.
  const input = body?.input ?? body?.messages;
  const instructions = typeof body?.instructions === 'string' ? body.instructions : typeof body?.system === 'string' ? body.system : undefined;
  const tools = body && Array.isArray(body.tools) ? body.tools : [];
  // previous_response_id has a row of its own, with its link.
  const parameters = body ? Object.entries(body).filter(([key]) => !['model', 'instructions', 'system', 'input', 'messages', 'tools', 'previous_response_id'].includes(key)) : [];
  return (
    <div class="request-view" data-testid="request-view">
      <p class="mono">
        {start.method} {capture.shownUrl}
      </p>
      {body ? (
        <>
          <table class="kv">
            <tbody>
              <tr><th>model</th><td>{String(body.model ?? '')}</td></tr>
              {previousId ? (
                <tr>
                  <th>previous_response_id</th>
                  <td>
                    {previousId}{' '}
                    {previous ? (
                      <button
                        type="button"
                        class="link"
                        data-testid="previous-response"
                        onClick={() => {
                          // The response it continues is what one wants to read: its output.
                          store.select(previous.id);
                          store.setView('assembly');
                        }}
                      >
                        show that response
                      </button>
                    ) : (
                      <span class="sub">(not captured here)</span>
                    )}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {instructions !== undefined ? (
            <section>
              <h3>Instructions</h3>
              <div class="text">{instructions}</div>
            </section>
          ) : null}
          <section>
            <h3>Input</h3>
            {typeof input === 'string' ? <div class="text" data-testid="input-text">{input}</div> : Array.isArray(input) ? input.map((item) => <InputItem item={item} />) : <p class="sub">None.</p>}
          </section>
          {tools.length > 0 ? (
            <section>
              <h3>Tools ({tools.length})</h3>
              {tools.map((tool) => (
                <details class="tool">
                  <summary>{isJsonObject(tool) ? `${String(tool.type ?? '')} ${String(tool.name ?? '')}` : String(tool)}</summary>
                  <pre class="code">{stringifyJson(tool, 2)}</pre>
                </details>
              ))}
            </section>
          ) : null}
          {parameters.length > 0 ? (
            <section>
              <h3>Parameters</h3>
              <table class="kv" data-testid="parameters">
                <tbody>
                  {parameters.map(([key, value]) => (
                    <tr><th>{key}</th><td class="mono">{stringifyJson(value)}</td></tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </>
      ) : requestBody ? (
        <pre class="code">{requestBody}</pre>
      ) : (
        <p class="sub">No request body recorded.</p>
      )}
      <section>
        <h3>Request headers</h3>
        <Headers headers={redactHeaders(start.requestHeaders)} testId="request-headers" />
      </section>
      <section>
        <h3>Response headers{capture.response ? ` (HTTP ${capture.response.status})` : ''}</h3>
        <Headers headers={redactHeaders(capture.response?.responseHeaders ?? [])} testId="response-headers" />
      </section>
    </div>
  );
}
