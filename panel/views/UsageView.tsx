import { addUsage, formatUsd, RATE_LIMIT_KINDS, formatShare, usedShare, type CostReading, type RateLimits, type UsageSummary } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { formatCount, formatMs } from '../format.ts';

/** Rows of a label and a figure; a nested row is a part of the row above it. */
type FigureRow = [label: string, figure: string, nested: boolean];

function FigureRows({ rows }: { rows: FigureRow[] }) {
  return (
    <tbody>
      {rows.map(([label, figure, nested]) => (
        <tr class={nested ? 'nested' : ''}>
          <th>{label}</th>
          <td class="num">{figure}</td>
        </tr>
      ))}
    </tbody>
  );
}

function UsageTable({ usage, testId }: { usage: UsageSummary | null; testId: string }) {
  if (!usage) return <p class="sub">The server has not reported usage (yet).</p>;
  const rows: Array<[string, number | undefined, boolean]> = [
    ['Input tokens', usage.input, false],
    ['cached', usage.cached, true],
    ['cache write', usage.cacheWrite, true],
    ['Output tokens', usage.output, false],
    ['reasoning', usage.reasoning, true],
    ['Total tokens', usage.total, false],
  ];
  return (
    <table class="kv" data-testid={testId}>
      <FigureRows rows={rows.filter(([, value]) => value !== undefined).map(([label, value, nested]) => [label, formatCount(value), nested])} />
    </table>
  );
}

/** The response's cost part by part, and where the prices come from; or why it has none. */
function CostTable({ reading, usage }: { reading: CostReading | undefined; usage: UsageSummary | null }) {
  if (!reading) return null;
  if (!reading.cost) {
    return (
      <p class="sub" data-testid="cost-none">
        No cost: {reading.reason}.
      </p>
    );
  }
  const { cost } = reading;
  const rows: FigureRow[] = [
    ['Input', formatUsd(cost.input), false],
    ['cached input', formatUsd(cost.cachedInput), true],
    ...(usage?.cacheWrite === undefined ? [] : [['cache write', formatUsd(cost.cacheWrite), true] as FigureRow]),
    ['Output', formatUsd(cost.output), false],
    ...(cost.tools === 0 ? [] : [['Built-in tools (searches)', formatUsd(cost.tools), false] as FigureRow]),
    ['Total', formatUsd(cost.total), false],
  ];
  return (
    <table class="kv" data-testid="cost-table">
      <caption data-testid="cost-source">
        {cost.currency}, prices from {cost.source}
      </caption>
      <FigureRows rows={rows} />
    </table>
  );
}

/** What the tab's responses cost together, and how many have no cost (no price for their model or tier, no usage). */
function CostTotal({ store }: { store: PanelStore }) {
  let total = 0;
  let priced = 0;
  let unpriced = 0;
  const sources = new Set<string>();
  for (const id of store.order) {
    const reading = store.captures.get(id)?.cost;
    if (!reading) continue;
    if (reading.cost) {
      total += reading.cost.total;
      priced++;
      sources.add(reading.cost.source);
    } else {
      unpriced++;
    }
  }
  if (priced === 0 && unpriced === 0) return null;
  return (
    <table class="kv" data-testid="cost-totals">
      <caption>{sources.size > 0 ? `USD, prices from ${[...sources].join(', ')}` : 'No response here has a cost'}</caption>
      <FigureRows
        rows={[
          [`Cost of ${priced} response${priced === 1 ? '' : 's'}`, formatUsd(total), false],
          ...(unpriced > 0 ? [[`without a cost`, String(unpriced), true] as FigureRow] : []),
        ]}
      />
    </table>
  );
}

/** Past this share of a limit used, the meter turns to the warning colour. */
const NEAR_LIMIT = 0.8;

function limitFigure(value: number | string | null): string {
  return value === null ? '–' : typeof value === 'number' ? formatCount(value) : value;
}

/** What the response's headers said of the rate limits: what was left of each, how close the call came, the reset. */
function RateLimitTable({ limits, testId, caption }: { limits: RateLimits | null; testId: string; caption: string }) {
  if (!limits) {
    return (
      <p class="sub" data-testid={`${testId}-none`}>
        No rate limits reported (no x-ratelimit headers).
      </p>
    );
  }
  return (
    <table class="kv rate-limits" data-testid={testId}>
      <caption>{caption}</caption>
      <tbody>
        {RATE_LIMIT_KINDS.map((kind) => {
          const limit = limits[kind];
          if (!limit) return null;
          const share = usedShare(limit);
          return (
            <tr data-testid={`${testId}-${kind}`}>
              <th>{kind === 'requests' ? 'Requests' : 'Tokens'}</th>
              <td class="num" data-testid={`${testId}-${kind}-left`}>
                {limitFigure(limit.remaining)} of {limitFigure(limit.limit)} left
              </td>
              <td>
                {share === undefined ? null : (
                  <>
                    <meter
                      class={`limit-meter${share >= NEAR_LIMIT ? ' near' : ''}`}
                      min={0}
                      max={1}
                      value={share}
                      aria-label={`${kind} limit used`}
                    />{' '}
                    <span class="sub" data-testid={`${testId}-${kind}-used`}>
                      {formatShare(share)} used
                    </span>
                  </>
                )}
              </td>
              <td class="sub">{limit.reset === null ? '' : `resets in ${limit.reset}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}


/** How many calls the tab holds and how many failed (the server's failure, an HTTP error, a broken stream). */
function CallCounts({ store }: { store: PanelStore }) {
  let calls = 0;
  let errors = 0;
  for (const id of store.order) {
    const capture = store.captures.get(id);
    if (!capture) continue;
    calls++;
    if (capture.status === 'failed' || capture.status === 'error' || capture.status === 'http-error') errors++;
  }
  return (
    <table class="kv" data-testid="call-totals">
      <FigureRows
        rows={[
          ['Calls', formatCount(calls), false],
          ['errors', formatCount(errors), true],
        ]}
      />
    </table>
  );
}

/** The rate limits as the newest call that reported them left them. */
function LatestRateLimits({ store }: { store: PanelStore }) {
  for (let index = store.order.length - 1; index >= 0; index--) {
    const capture = store.captures.get(store.order[index] as string);
    const limits = capture?.rateLimits;
    if (capture && limits) return <RateLimitTable limits={limits} testId="rate-limit-latest" caption={`Latest rate limits (${capture.model ?? 'a call'}, ${shortId(capture)})`} />;
  }
  return null;
}

function shortId(capture: PanelCapture): string {
  return capture.responseIds[capture.responseIds.length - 1] ?? capture.id;
}

export function UsageView({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  const record = capture.record;
  const timing = record?.timing;
  let total: UsageSummary | null = null;
  let counted = 0;
  for (const id of store.order) {
    const usage = store.captures.get(id)?.usage;
    if (!usage) continue;
    total = total ? addUsage(total, usage) : usage;
    counted++;
  }
  const network = capture.networkTimings;
  return (
    <div class="usage-view" data-testid="usage-view">
      <section>
        <h3>This response</h3>
        <UsageTable usage={record?.usage ?? null} testId="usage-table" />
        <CostTable reading={capture.cost} usage={record?.usage ?? null} />
        <RateLimitTable limits={capture.rateLimits} testId="rate-limits" caption="Rate limits after this call" />
      </section>
      <section>
        <h3>Timing</h3>
        <table class="kv" data-testid="timing-table">
          <tbody>
            <tr><th>Time to first byte</th><td class="num">{formatMs(timing?.firstByteMs)}</td></tr>
            <tr><th>Time to first token</th><td class="num">{formatMs(timing?.firstTokenMs)}</td></tr>
            <tr><th>Last event</th><td class="num">{formatMs(timing?.lastEventMs)}</td></tr>
            <tr><th>Duration</th><td class="num">{formatMs(capture.durationMs)}</td></tr>
            <tr><th>Output tokens/s</th><td class="num">{timing?.outputTokensPerSecond ?? '–'}</td></tr>
            {timing?.serverDurationMs !== null && timing?.serverDurationMs !== undefined ? (
              <tr>
                <th>Server time (created → completed, whole seconds)</th>
                <td class="num" data-testid="server-time">
                  {/* The API's timestamps are whole seconds: no more precision is shown than they have. */}
                  {Math.round(timing.serverDurationMs / 1000)} s
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {network ? (
          <table class="kv" data-testid="network-timings">
            <caption>Network (from DevTools)</caption>
            <tbody>
              {Object.entries(network).map(([phase, ms]) => (
                <tr><th>{phase}</th><td class="num">{formatMs(ms)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section>
        <h3>All {counted} response(s) with usage in this tab</h3>
        <CallCounts store={store} />
        <UsageTable usage={total} testId="usage-totals" />
        <CostTotal store={store} />
        <LatestRateLimits store={store} />
      </section>
    </div>
  );
}
