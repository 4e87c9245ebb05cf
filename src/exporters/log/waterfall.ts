// Renders the spans of one trace as a terminal waterfall, like Zipkin's trace view: services, nesting, a bar
// for each span's extent and length, its notes (annotations) and tags. Pure: spans in, text out.
import {
  complexValueJson,
  hrTimeToMillis,
  isComplexValue,
  serviceNameOf,
  type FinishedSpan,
} from '../readable-span.js';
import { ATTR_NOT_STOPPED, ATTR_ORPHAN, ATTR_SERVICE_NAME } from '../../attributes.js';
import { spanParentId } from '../../otel-internals/index.js';
import { printable } from './printable.js';

/** How a waterfall is drawn. */
export interface WaterfallStyle {
  /** Width of the bar column, in characters. @default 40 */
  barWidth?: number;
  /** Show each span's tags (attributes) under it. @default true */
  showTags?: boolean;
  /** Service name for spans that carry none. @default 'unknown' */
  defaultServiceName?: string;
}

interface Node {
  span: FinishedSpan;
  children: Node[];
}

// Attributes the waterfall already shows as columns, or that only say how tomograph works.
const HIDDEN_TAGS = new Set([ATTR_SERVICE_NAME, ATTR_ORPHAN, ATTR_NOT_STOPPED]);

function formatMillis(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function formatValue(value: unknown): string {
  // Strings quoted and complex values (maps, arrays, bytes) as JSON, never `[object Object]`; JSON escapes
  // control characters, and printable() those of anything else.
  if (typeof value === 'string') return JSON.stringify(value);
  return isComplexValue(value) ? (complexValueJson(value) ?? printable(String(value))) : printable(String(value));
}

/** Orders spans as trees: children under their parent by start time; spans whose parent is absent are roots. */
function buildForest(spans: readonly FinishedSpan[]): Node[] {
  const nodes = new Map<string, Node>();
  for (const span of spans) nodes.set(span.spanContext().spanId, { span, children: [] });
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parentId = spanParentId(node.span);
    const parent = parentId === undefined ? undefined : nodes.get(parentId);
    if (parent !== undefined && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: Node, b: Node) => hrTimeToMillis(a.span.startTime) - hrTimeToMillis(b.span.startTime);
  const sort = (list: Node[]) => {
    list.sort(byStart);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

function bar(start: number, end: number, origin: number, total: number, width: number): string {
  const scale = total > 0 ? width / total : 0;
  const from = Math.min(width - 1, Math.max(0, Math.floor((start - origin) * scale)));
  const to = Math.min(width, Math.max(from + 1, Math.ceil((end - origin) * scale)));
  return ' '.repeat(from) + '█'.repeat(to - from) + ' '.repeat(width - to);
}

/** The waterfall of one trace's spans, as lines of text ending in a newline. */
export function renderWaterfall(spans: readonly FinishedSpan[], style: WaterfallStyle = {}): string {
  if (spans.length === 0) return '';
  const width = style.barWidth ?? 40;
  const showTags = style.showTags ?? true;
  const fallback = style.defaultServiceName ?? 'unknown';
  const origin = Math.min(...spans.map((s) => hrTimeToMillis(s.startTime)));
  const finish = Math.max(...spans.map((s) => hrTimeToMillis(s.endTime)));
  const total = finish - origin;
  const services = new Set(spans.map((s) => printable(serviceNameOf(s, fallback))));
  const serviceWidth = Math.max(...[...services].map((s) => s.length));

  const rows: { label: string; service: string; span: FinishedSpan; depth: number }[] = [];
  const walk = (node: Node, depth: number) => {
    rows.push({
      label: `${'  '.repeat(depth)}${printable(node.span.name)}`,
      service: printable(serviceNameOf(node.span, fallback)),
      span: node.span,
      depth,
    });
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of buildForest(spans)) walk(root, 0);
  const labelWidth = Math.max(...rows.map((r) => r.label.length));

  const traceId = spans[0]!.spanContext().traceId;
  const lines = [
    `trace ${traceId} · ${spans.length} span${spans.length === 1 ? '' : 's'} · ${services.size} service${services.size === 1 ? '' : 's'} · ${formatMillis(total)}`,
  ];
  for (const row of rows) {
    const start = hrTimeToMillis(row.span.startTime);
    const end = hrTimeToMillis(row.span.endTime);
    const error = row.span.status?.code === 2 ? ' ERROR' : '';
    const notStopped = row.span.attributes[ATTR_NOT_STOPPED] === true ? ' (not stopped)' : '';
    lines.push(
      `  ${row.service.padEnd(serviceWidth)}  ${row.label.padEnd(labelWidth)}  |${bar(start, end, origin, total, width)}| ${formatMillis(end - start).padStart(9)}${error}${notStopped}`,
    );
    const indent = ' '.repeat(4 + serviceWidth + 2 * row.depth);
    for (const event of row.span.events) {
      lines.push(`${indent}· ${printable(event.name)}  @ ${formatMillis(hrTimeToMillis(event.time) - start)}`);
    }
    if (showTags) {
      const tags = Object.entries(row.span.attributes).filter(([key]) => !HIDDEN_TAGS.has(key));
      if (tags.length > 0)
        lines.push(`${indent}# ${tags.map(([k, v]) => `${printable(k)}=${formatValue(v)}`).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One line for one finished span, for logs that want a line per span rather than a waterfall. */
export function renderSpanLine(span: FinishedSpan, defaultServiceName = 'unknown'): string {
  const start = hrTimeToMillis(span.startTime);
  const notes = span.events.map((e) => `${printable(e.name)}@${formatMillis(hrTimeToMillis(e.time) - start)}`);
  const parent = spanParentId(span);
  const context = span.spanContext();
  return (
    `${printable(serviceNameOf(span, defaultServiceName))} ${printable(span.name)} ${formatMillis(hrTimeToMillis(span.endTime) - start)}` +
    ` trace=${context.traceId} span=${context.spanId}${parent ? ` parent=${parent}` : ''}` +
    (notes.length > 0 ? ` notes=[${notes.join(', ')}]` : '') +
    (span.status?.code === 2 ? ' ERROR' : '') +
    '\n'
  );
}
