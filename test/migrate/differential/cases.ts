// The differential corpus: legacy programs written the way people write them, each run before and after
// tomograph-migrate in a process of its own (differential.test.ts). Each case says what the codemod must do with
// it: rewrite it (and then record exactly what the legacy code recorded), or leave it byte for byte and report
// each place it left (a fragment of each reason, in line order).

export interface DifferentialCase {
  /** The file name the case is written to (its extension picks the parser and how it runs). */
  readonly file: string;
  readonly behaviour: string;
  readonly source: string;
  /** A fragment of each report, in order; none for a case rewritten whole. */
  readonly reports: readonly string[];
  /** Whether the file changes; a case whose only places are reported never does. */
  readonly changed: boolean;
  /** The tsconfig tsx runs the case with (legacy decorators need their own). */
  readonly tsconfig?: string;
}

const IMPORT = "import { annotate, start, stop, tag } from 'tomograph';\n";

export const CASES: readonly DifferentialCase[] = [
  {
    file: 'straight.ts',
    behaviour: 'a straight pair with a tag and notes',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('api', 'GET /servers', '10.0.0.1', 8774);
  tag('tenant', 'acme');
  annotate('listed', { serviceName: 'db', duration: 3 });
  stop('GET /servers');
}
`,
  },
  {
    file: 'same-line-statement.ts',
    behaviour: 'a statement on the same line before stop still runs',
    changed: true,
    reports: [],
    source: `${IMPORT}
const rows: string[] = [];
export async function run(): Promise<void> {
  start('db', 'outer');
  start('db', 'save');
  rows.push('row'); stop('save');
  tag('rows', rows.length);
  stop('outer');
}
`,
  },
  {
    file: 'export-names.ts',
    behaviour: 'facade names exported as values keep their import, and the export is reported',
    changed: true,
    reports: ['start used as a value', 'stop used as a value'],
    source: `${IMPORT}
export { start, stop };
export async function run(): Promise<void> {
  start('svc', 'exported');
  annotate('inside');
  stop('exported');
}
`,
  },
  {
    file: 'tag-as-value.ts',
    behaviour: 'a facade function stored in a variable keeps its import and is reported; its calls record as before',
    changed: true,
    reports: ['tag used as a value'],
    source: `${IMPORT}
const mark = tag;
export async function run(): Promise<void> {
  start('svc', 'stored');
  mark('k', 'v');
  annotate('note');
  stop('stored');
}
`,
  },
  {
    file: 'cjs-exports.cjs',
    behaviour: 'CommonJS: module.exports = { start, stop } keeps the require and is reported',
    changed: true,
    reports: ['start used as a value', 'stop used as a value'],
    source: `const { annotate, start, stop } = require('tomograph');

async function run() {
  start('svc', 'cjs');
  annotate('inside');
  stop('cjs');
}
module.exports = { start, stop, run };
`,
  },
  {
    file: 'let-closure.ts',
    behaviour: 'a let written later by a closure made inside the pair is left and reported',
    changed: true,
    reports: ["'count' is declared with let"],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'count');
  let count = 0;
  const bump = (): void => {
    count += 1;
  };
  stop('count');
  bump();
  bump();
  start('svc', 'after');
  tag('count', count);
  stop('after');
}
`,
  },
  {
    file: 'let-plain.ts',
    behaviour: 'a let declared inside and written after is handed back',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'first');
  let total = 1;
  stop('first');
  total += 1;
  start('svc', 'second');
  tag('total', total);
  stop('second');
}
`,
  },
  {
    file: 'used-before.ts',
    behaviour: 'a const declared inside a module-level pair and read by a function defined before it is handed back',
    changed: true,
    reports: [],
    source: `${IMPORT}
function label(): string {
  return prefix + '-label';
}
start('svc', 'boot');
const prefix = 'boot';
stop('boot');
export async function run(): Promise<void> {
  start('svc', 'uses');
  tag('label', label());
  stop('uses');
}
`,
  },
  {
    file: 'module-enum.ts',
    behaviour: 'an enum inside a module-level pair stays where it is (reported)',
    changed: false,
    reports: ['a declaration that must stay'],
    source: `${IMPORT}
start('svc', 'boot');
enum Level { Low, High }
stop('boot');
export async function run(): Promise<void> {
  void Level.High;
}
`,
  },
  {
    file: 'module-export-const.ts',
    behaviour: 'an export const inside a module-level pair stays where it is (reported)',
    changed: false,
    reports: ['a declaration that must stay'],
    source: `${IMPORT}
start('svc', 'boot');
export const limit = 3;
stop('boot');
export async function run(): Promise<void> {
  void limit;
}
`,
  },
  {
    file: 'early-return-call.ts',
    behaviour: 'stop(); return compute(): the returned call ran outside the span, so the pair is left',
    changed: true,
    reports: ["stop('outer'); return compute()"],
    source: `${IMPORT}
function compute(): number {
  start('svc', 'compute');
  annotate('computing');
  stop('compute');
  return 2;
}
function work(flag: boolean): number {
  start('svc', 'outer');
  if (flag) {
    stop('outer');
    return compute();
  }
  stop('outer');
  return 1;
}
export async function run(): Promise<void> {
  work(true);
  work(false);
}
`,
  },
  {
    file: 'early-return-value.ts',
    behaviour: 'stop(); return value: the callback returns it, the span ends where it did',
    changed: true,
    reports: [],
    source: `${IMPORT}
function work(flag: boolean): number {
  start('svc', 'early');
  const value = flag ? 2 : 3;
  if (flag) {
    stop('early');
    return value;
  }
  annotate('late path');
  stop('early');
  return value + 1;
}
export async function run(): Promise<void> {
  start('svc', 'caller');
  tag('a', work(true));
  tag('b', work(false));
  stop('caller');
}
`,
  },
  {
    file: 'timer-inside.ts',
    behaviour: 'a timer started inside a pair is left (its later note went to the span before start)',
    changed: false,
    reports: ["start('parent') encloses", 'setTimeout() between'],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'parent');
  await new Promise<void>((resolve) => {
    start('svc', 'timed');
    setTimeout(() => {
      annotate('fired');
      resolve();
    }, 5);
    stop('timed');
  });
  stop('parent');
}
`,
  },
  {
    file: 'sleep-inside.ts',
    behaviour: 'an awaited sleep inside a pair is rewritten (it settles before the stop)',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'sleeps');
  await new Promise((resolve) => setTimeout(resolve, 5));
  annotate('woke');
  stop('sleeps');
}
`,
  },
  {
    file: 'string-port.ts',
    behaviour: 'a port typed string (from the environment) is left: the facade records it its own way',
    changed: false,
    reports: ['may not be a number'],
    source: `${IMPORT}
const port: string = process.env.DIFFERENTIAL_PORT ?? '8080';
export async function run(): Promise<void> {
  start('svc', 'string port', '10.0.0.1', port as never);
  stop('string port');
}
`,
  },
  {
    file: 'string-literal-port.ts',
    behaviour: "a literal '8080' port is left and reported",
    changed: false,
    reports: ["port '8080'"],
    source: `${IMPORT}
export async function run(): Promise<void> {
  // @ts-expect-error the legacy code passed what the environment gave
  start('svc', 'literal port', '10.0.0.1', '8080');
  stop('literal port');
}
`,
  },
  {
    file: 'number-port.ts',
    behaviour: 'a port typed number and an address typed string are written as they are',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  const port: number = 9090;
  const address: string | undefined = '10.0.0.2';
  start('svc', 'number port', address, port);
  stop('number port');
}
`,
  },
  {
    file: 'object-tag.ts',
    behaviour: 'a tag with an object value stays a facade call (recorded as text) inside a rewritten pair',
    changed: true,
    reports: ['the value may not be a string'],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'tags');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tag('user', { id: 7 } as any);
  tag('ok', true);
  stop('tags');
}
`,
  },
  {
    file: 'super-call.ts',
    behaviour: 'super() between start and stop is left',
    changed: false,
    reports: ['super() between'],
    source: `${IMPORT}
class Base {
  constructor(readonly name: string) {}
}
class Child extends Base {
  constructor() {
    start('svc', 'construct');
    super('child');
    stop('construct');
  }
}
export async function run(): Promise<void> {
  new Child();
}
`,
  },
  {
    file: 'one-line.ts',
    behaviour: 'a one-line function body is rewritten on its line',
    changed: true,
    reports: [],
    source: `${IMPORT}
function one(): void { start('svc', 'one'); annotate('a'); stop('one'); }
export async function run(): Promise<void> {
  one();
  one();
}
`,
  },
  {
    file: 'stop-return-one-line.ts',
    behaviour: "stop('x'); return 2; on one line ends the span there",
    changed: true,
    reports: [],
    source: `${IMPORT}
function two(flag: boolean): number {
  start('svc', 'two');
  if (flag) { stop('two'); return 2; }
  annotate('no flag');
  stop('two'); return 3;
}
export async function run(): Promise<void> {
  start('svc', 'caller');
  tag('two', two(true) + two(false));
  stop('caller');
}
`,
  },
  {
    file: 'require-in-function.cjs',
    behaviour: 'a require inside a function is reported and left',
    changed: false,
    reports: ["require('tomograph') not in a module-level declaration"],
    source: `function run() {
  const t = require('tomograph');
  t.start('svc', 'lazy');
  t.annotate('loaded late');
  t.stop('lazy');
}
module.exports = { run };
`,
  },
  {
    file: 'reexport.ts',
    behaviour: 'a module that re-exports the facade is reported; its own pair is rewritten',
    changed: true,
    reports: ['re-exports tomograph'],
    source: `export { start, stop, annotate } from 'tomograph';
import { start as begin, stop as end } from 'tomograph';
export async function run(): Promise<void> {
  begin('svc', 'through re-export');
  end('through re-export');
}
`,
  },
  {
    file: 'if-else.ts',
    behaviour: 'pairs in both branches of an if/else',
    changed: true,
    reports: [],
    source: `${IMPORT}
function branch(flag: boolean): void {
  if (flag) {
    start('svc', 'yes');
    annotate('went yes');
    stop('yes');
  } else {
    start('svc', 'no');
    stop('no');
  }
}
export async function run(): Promise<void> {
  branch(true);
  branch(false);
}
`,
  },
  {
    file: 'switch.ts',
    behaviour: 'a pair in a braced case block is rewritten; one in a bare case clause is reported',
    changed: true,
    reports: ['is not a statement of its own in a block'],
    source: `${IMPORT}
function pick(kind: number): void {
  switch (kind) {
    case 1: {
      start('svc', 'one');
      annotate('picked one');
      stop('one');
      break;
    }
    case 2:
      start('svc', 'two');
      stop('two');
      break;
    default:
      break;
  }
}
export async function run(): Promise<void> {
  pick(1);
  pick(2);
}
`,
  },
  {
    file: 'loops.ts',
    behaviour: 'a loop inside a pair keeps its break and continue; a continue that leaves the pair is reported',
    changed: true,
    reports: ['a continue between'],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'loop');
  for (let i = 0; i < 5; i += 1) {
    if (i === 1) continue;
    if (i === 3) break;
    annotate('item');
  }
  stop('loop');
  for (let i = 0; i < 3; i += 1) {
    start('svc', 'each');
    if (i === 1) continue;
    stop('each');
  }
}
`,
  },
  {
    file: 'label.ts',
    behaviour: 'a labelled continue that leaves the pair is reported; one inside it is kept',
    changed: false,
    reports: ['a continue between'],
    source: `${IMPORT}
export async function run(): Promise<void> {
  outer: for (let i = 0; i < 2; i += 1) {
    start('svc', 'row');
    for (let j = 0; j < 2; j += 1) {
      if (i === 1 && j === 1) continue outer;
    }
    stop('row');
  }
}
`,
  },
  {
    file: 'generator.ts',
    behaviour: 'a pair around a yield is reported; one between yields is rewritten',
    changed: true,
    reports: ['a yield between'],
    source: `${IMPORT}
function* items(): Generator<number> {
  start('svc', 'produce');
  annotate('producing');
  stop('produce');
  yield 1;
  start('svc', 'held');
  yield 2;
  stop('held');
}
export async function run(): Promise<void> {
  const all = [...items()];
  start('svc', 'count');
  tag('n', all.length);
  stop('count');
}
`,
  },
  {
    file: 'class-methods.ts',
    behaviour: 'class methods using this and super.method() inside a pair',
    changed: true,
    reports: [],
    source: `${IMPORT}
class Base {
  describe(): string {
    return 'base';
  }
}
class Service extends Base {
  private calls = 0;
  override describe(): string {
    start('svc', 'describe');
    this.calls += 1;
    const text = super.describe() + '/' + this.calls;
    tag('text', text);
    stop('describe');
    return text;
  }
}
export async function run(): Promise<void> {
  const service = new Service();
  service.describe();
  service.describe();
}
`,
  },
  {
    file: 'arrow.ts',
    behaviour: 'pairs in arrow functions, an async one handing back a value',
    changed: true,
    reports: [],
    source: `${IMPORT}
const load = async (id: number): Promise<string> => {
  start('svc', 'load');
  const value = await Promise.resolve('item-' + id);
  tag('id', id);
  stop('load');
  return value;
};
const check = (): void => {
  start('svc', 'check');
  stop('check');
};
export async function run(): Promise<void> {
  check();
  const value = await load(4);
  start('svc', 'loaded');
  tag('value', value);
  stop('loaded');
}
`,
  },
  {
    file: 'closure.ts',
    behaviour: 'a pair inside a closure called later, and a note in a function called later',
    changed: true,
    reports: [],
    source: `${IMPORT}
function makeHandler(name: string): () => void {
  return () => {
    start('svc', 'handler');
    tag('name', name);
    note();
    stop('handler');
  };
}
function note(): void {
  annotate('from helper');
}
export async function run(): Promise<void> {
  const handler = makeHandler('h1');
  handler();
  handler();
}
`,
  },
  {
    file: 'stop-in-catch.ts',
    behaviour: 'stop in a catch that rethrows is reported',
    changed: false,
    reports: ["stop('risky') not followed by return"],
    source: `${IMPORT}
function risky(fail: boolean): void {
  start('svc', 'risky');
  try {
    if (fail) throw new Error('nope');
  } catch (error) {
    stop('risky');
    throw error;
  }
  stop('risky');
}
export async function run(): Promise<void> {
  try {
    risky(true);
  } catch {
    // expected
  }
  risky(false);
}
`,
  },
  {
    file: 'catch-return.ts',
    behaviour: 'a stop before a return in a catch ends the span there; the other path ends at the last stop',
    changed: true,
    reports: [],
    source: `${IMPORT}
function risky(fail: boolean): string {
  start('svc', 'risky');
  try {
    if (fail) throw new Error('nope');
  } catch {
    annotate('caught');
    stop('risky');
    return 'failed';
  }
  stop('risky');
  return 'ok';
}
export async function run(): Promise<void> {
  start('svc', 'caller');
  tag('first', risky(true));
  tag('second', risky(false));
  stop('caller');
}
`,
  },
  {
    file: 'nested-same-name.ts',
    behaviour: 'nested pairs of the same name nest the same way',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'step');
  annotate('outer');
  start('svc', 'step');
  annotate('inner');
  stop('step');
  stop('step');
}
`,
  },
  {
    file: 'aliased.ts',
    behaviour: 'aliased imports are followed',
    changed: true,
    reports: [],
    source: `import { annotate as note, start as begin, stop as end } from 'tomograph';

export async function run(): Promise<void> {
  begin('svc', 'aliased');
  note('aliased note');
  end('aliased');
}
`,
  },
  {
    file: 'namespace.ts',
    behaviour: 'calls through a namespace import are rewritten; the import stays',
    changed: true,
    reports: [],
    source: `import * as tg from 'tomograph';

export async function run(): Promise<void> {
  tg.start('svc', 'namespaced', '10.0.0.3', 80);
  tg.tag('kind', 'ns');
  tg.stop('namespaced');
}
`,
  },
  {
    file: 'cjs-top.cjs',
    behaviour: 'CommonJS with a top-level require',
    changed: true,
    reports: [],
    source: `const { annotate, start, stop, tag } = require('tomograph');

async function run() {
  start('svc', 'job', '10.0.0.6', 7000);
  tag('attempt', 1);
  await Promise.resolve();
  annotate('done');
  stop('job');
}
module.exports = { run };
`,
  },
  {
    file: 'view.tsx',
    behaviour: 'a TSX file with JSX inside the pair',
    changed: true,
    reports: [],
    source: `${IMPORT}
const React = { createElement: (tag: string, _props: unknown, ...children: unknown[]): string => tag + ':' + children.join('') };
export async function run(): Promise<void> {
  start('ui', 'render');
  const html = <b>{'hello'}</b>;
  tag('html', html as unknown as string);
  stop('render');
}
`,
  },
  {
    file: 'decorators-standard.ts',
    behaviour: '@traced on methods (standard decorators), the service from the class when null',
    changed: true,
    reports: [],
    source: `import { annotate, traced } from 'tomograph';

class Billing {
  @traced(null, 'charge')
  async charge(amount: number): Promise<number> {
    annotate('charging');
    await Promise.resolve();
    return amount * 2;
  }

  @traced('billing', 'refund', { address: '10.0.0.9', port: 443 })
  async refund(): Promise<void> {
    annotate('refunding');
  }
}
export async function run(): Promise<void> {
  const billing = new Billing();
  await billing.charge(2);
  await billing.refund();
}
`,
  },
  {
    file: 'decorators-legacy.ts',
    behaviour: '@traced on methods with experimentalDecorators',
    changed: true,
    reports: [],
    tsconfig: 'test/legacy-decorators/tsconfig.json',
    source: `import { annotate, traced } from 'tomograph';

class Inventory {
  @traced('inventory', 'restock')
  async restock(count: number): Promise<number> {
    annotate('restocking');
    if (count < 0) throw new Error('negative');
    return count;
  }
}
export async function run(): Promise<void> {
  const inventory = new Inventory();
  await inventory.restock(3);
  await inventory.restock(-1).catch(() => undefined);
}
`,
  },
  {
    file: 'tokens.ts',
    behaviour: 'getTraceInfo() and start(…, token) continue the trace',
    changed: true,
    reports: [],
    source: `import { annotate, getTraceInfo, start, stop } from 'tomograph';

export async function run(): Promise<void> {
  start('queue', 'enqueue', '10.0.0.4', 1);
  const token = getTraceInfo();
  stop('enqueue');
  start('worker', 'work', '10.0.0.4', 2, token);
  annotate('working');
  stop('work');
}
`,
  },
  {
    file: 'promise-all.ts',
    behaviour: 'Promise.all over async callbacks that note, inside a pair',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'batch');
  await Promise.all([1, 2, 3].map(async (n) => {
    await Promise.resolve();
    annotate('item ' + n);
  }));
  stop('batch');
}
`,
  },
  {
    file: 'listener.ts',
    behaviour: 'a function made inside a pair that notes and runs later is reported',
    changed: false,
    reports: ["start('parent') encloses", 'a function defined between'],
    source: `${IMPORT}
import { EventEmitter } from 'node:events';

const events = new EventEmitter();
export async function run(): Promise<void> {
  start('svc', 'parent');
  start('svc', 'subscribe');
  events.on('ping', () => annotate('pinged'));
  stop('subscribe');
  events.emit('ping');
  stop('parent');
}
`,
  },
  {
    file: 'module-level.ts',
    behaviour: 'a module-level pair with a top-level await',
    changed: true,
    reports: [],
    source: `${IMPORT}
start('svc', 'boot');
const config = await Promise.resolve({ workers: 2 });
annotate('configured');
stop('boot');
export async function run(): Promise<void> {
  start('svc', 'run');
  tag('workers', config.workers);
  stop('run');
}
`,
  },
  {
    file: 'try-finally.ts',
    behaviour: 'start; try { … } finally { cleanup; stop }: the cleanup runs before the end',
    changed: true,
    reports: [],
    source: `${IMPORT}
async function work(fail: boolean): Promise<void> {
  start('svc', 'guarded');
  try {
    annotate('working');
    if (fail) throw new Error('failed');
  } finally {
    annotate('cleanup');
    stop('guarded');
  }
}
export async function run(): Promise<void> {
  await work(false);
  await work(true).catch(() => undefined);
}
`,
  },
  {
    file: 'throws.ts',
    behaviour: 'a throw between start and stop: no span ends, as with the facade (no exception recorded)',
    changed: true,
    reports: [],
    source: `${IMPORT}
function fails(): void {
  start('svc', 'fails');
  annotate('before the throw');
  throw new Error('boom');
  stop('fails');
}
export async function run(): Promise<void> {
  start('svc', 'first');
  stop('first');
  try {
    fails();
  } catch {
    // the span of fails() is never ended, before and after
  }
}
`,
  },
  {
    file: 'traced-wrapper.ts',
    behaviour: 'traced()(async fn) becomes the function with its body in a span',
    changed: true,
    reports: [],
    source: `import { annotate, traced } from 'tomograph';

const fetchUser = traced('users', 'fetch user', { address: '10.0.0.5', port: 5432 })(async (id: number) => {
  annotate('querying');
  await Promise.resolve();
  return { id };
});
export async function run(): Promise<void> {
  await fetchUser(1);
}
`,
  },
  {
    file: 'traced-sync-value.ts',
    behaviour: 'traced()(sync fn) that returns a number is rewritten: the value is handed back as it is',
    changed: true,
    // What the rewritten function returns is not known to this file (the API's types are not read): that tag stays.
    reports: ['the value may not be a string, number or boolean'],
    source: `import { annotate, start, stop, tag, traced } from 'tomograph';

const double = traced('math', 'double')((n: number) => {
  annotate('doubling');
  return n * 2;
});
export async function run(): Promise<void> {
  start('svc', 'caller');
  tag('doubled', double(2));
  stop('caller');
}
`,
  },
  {
    file: 'traced-sync-promise.ts',
    behaviour: 'traced()(sync fn) that returns a promise is reported and left (the facade waited for it)',
    changed: false,
    reports: ['returns a value that may be a promise'],
    source: `import { annotate, traced } from 'tomograph';

const later = traced('jobs', 'later')((n: number) => {
  annotate('scheduling');
  return new Promise<number>((resolve) => setTimeout(() => resolve(n), 5));
});
export async function run(): Promise<void> {
  await later(1);
}
`,
  },
  {
    file: 'annotate-computed.ts',
    behaviour: 'an annotate whose value may not be a string stays a facade call inside a rewritten pair',
    changed: true,
    reports: ['the value may not be a string'],
    source: `${IMPORT}
export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const code: any = 404;
  start('svc', 'status');
  annotate(code);
  annotate('text');
  stop('status');
}
`,
  },
  {
    file: 'crlf.ts',
    behaviour: 'a file with CRLF line endings keeps them',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'crlf');
  annotate('windows');
  stop('crlf');
}
`.replace(/\n/g, '\r\n'),
  },
  {
    file: 'bom.ts',
    behaviour: 'a file with a byte-order mark keeps it',
    changed: true,
    reports: [],
    source: `\uFEFF${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'bom');
  annotate('marked');
  stop('bom');
}
`,
  },
  {
    file: 'no-final-newline.ts',
    behaviour: 'a file with no final newline',
    changed: true,
    reports: [],
    source: `${IMPORT}
export async function run(): Promise<void> {
  start('svc', 'last');
  annotate('end of file');
  stop('last');
}`,
  },
];
