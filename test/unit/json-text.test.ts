import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonItems, MAX_INDENT_DEPTH, readResponsesBody, stringifyJson, summarizeRecord, writeJson } from '../../extension/core/index.ts';
import { deepJsonText, jsonDepth } from '../helpers/hostile.ts';
import { fixtureNames, readFixture } from '../helpers/streams.ts';

const ODD_VALUES: unknown[] = [
  null, true, false, 0, -0, 1.5e300, NaN, Infinity, '', 'a"\\\n\u0000\u2028\ud800', [], {}, [undefined, () => 1, Symbol('s'), null],
  { a: undefined, b: () => 1, c: 1 }, { a: undefined }, { toJSON: () => ({ x: 1 }) }, { nested: { toJSON: (key: string) => key } },
  [new Date(0)], [Object(1), Object('s'), Object(false)], { 2: 'b', 1: 'a', z: [], y: {} }, JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}'),
  [[[[]]], [{}], { a: [{ b: [] }] }],
];

describe('stringifyJson', () => {
  it('writes what JSON.stringify writes for every recording, compact and indented', () => {
    for (const name of fixtureNames()) {
      const summaries = readResponsesBody(readFixture(name)).responses.map(summarizeRecord);
      assert.equal(stringifyJson({ responses: summaries }), JSON.stringify({ responses: summaries }), name);
      assert.equal(stringifyJson({ responses: summaries }, 2), JSON.stringify({ responses: summaries }, null, 2), name);
    }
  });

  it('follows JSON.stringify on the odd values', () => {
    for (const value of ODD_VALUES) {
      for (const indent of [0, 2, 4]) assert.equal(stringifyJson(value, indent), JSON.stringify(value, null, indent), `${String(JSON.stringify(value))} indent ${indent}`);
    }
    assert.equal(stringifyJson(undefined), 'null');
  });

  it('refuses cycles and BigInts as JSON.stringify does', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    assert.throws(() => stringifyJson(cycle), TypeError);
    assert.throws(() => stringifyJson([1n]), TypeError);
    const shared = { x: 1 };
    assert.equal(stringifyJson([shared, shared]), '[{"x":1},{"x":1}]');
  });

  it('catches a cycle of any length starting at any depth, with finite branches beside it', () => {
    for (const [before, length] of [[0, 1], [0, 2], [3, 63], [0, 64], [1, 65], [100, 64], [5000, 1], [10, 1000], [70_000, 3]] as const) {
      const root: Record<string, unknown> = {};
      let current = root;
      for (let level = 0; level < before; level++) {
        const next: Record<string, unknown> = { side: [1, { two: 2 }] };
        current.down = next;
        current = next;
      }
      const first = current;
      for (let level = 1; level < length; level++) {
        const next: Record<string, unknown> = { side: [[level]] };
        current.down = next;
        current = next;
      }
      current.down = first;
      assert.throws(() => stringifyJson(root, 2), TypeError, `${before} levels, then a cycle of ${length}`);
    }
  });

  it('writes a value shared by branches at any depth, which is no cycle', () => {
    const leaf: unknown = JSON.parse(deepJsonText(200, 'objects'));
    let value: unknown = [leaf, leaf];
    for (let level = 0; level < 130; level++) value = level % 2 === 0 ? [leaf, value, leaf] : { leaf, value };
    assert.equal(stringifyJson(value), JSON.stringify(value));
  });

  it('writes values a million levels deep, whole, with indentation that stops growing', () => {
    for (const kind of ['arrays', 'objects'] as const) {
      const depth = 1_000_000;
      const value: unknown = JSON.parse(deepJsonText(depth, kind));
      assert.throws(() => JSON.stringify(value), RangeError, 'JSON.stringify cannot');
      const compact = stringifyJson(value);
      assert.equal(compact, deepJsonText(depth, kind));
      const indented = stringifyJson(value, 2);
      assert.equal(jsonDepth(JSON.parse(indented)), depth);
      assert.ok(indented.length < compact.length + MAX_INDENT_DEPTH * (MAX_INDENT_DEPTH + 1) * 2 + 2 * MAX_INDENT_DEPTH, `${indented.length} chars`);
    }
  });

  it('indents the first levels as JSON.stringify does, then writes compactly', () => {
    const value: unknown = JSON.parse(deepJsonText(MAX_INDENT_DEPTH + 3, 'objects'));
    const text = stringifyJson(value, 2);
    const lines = text.split('\n');
    assert.equal(lines.length, 2 * MAX_INDENT_DEPTH + 1);
    assert.equal(lines[MAX_INDENT_DEPTH], `${' '.repeat(2 * MAX_INDENT_DEPTH)}"a": {"a":{"a":{"a":1}}}`);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('hands long text over in pieces', () => {
    const pieces: string[] = [];
    const value = Array.from({ length: 50_000 }, (_, index) => ({ index, text: 'x'.repeat(50) }));
    writeJson(value, (piece) => pieces.push(piece), 2);
    assert.ok(pieces.length > 1);
    assert.equal(pieces.join(''), JSON.stringify(value, null, 2));
  });
});

/** writeJson's text, joined. */
function written(value: unknown, indent: number): string {
  const pieces: string[] = [];
  writeJson(value, (piece) => pieces.push(piece), indent);
  return pieces.join('');
}

describe('writeJson', () => {
  it('writes what JSON.stringify writes by itself (stringifyJson may leave a value to JSON.stringify)', () => {
    for (const value of ODD_VALUES) {
      for (const indent of [0, 2, 4]) assert.equal(written(value, indent), JSON.stringify(value, null, indent) ?? 'null', `${String(JSON.stringify(value))} indent ${indent}`);
    }
    for (const name of fixtureNames()) {
      const summaries = readResponsesBody(readFixture(name)).responses.map(summarizeRecord);
      assert.equal(written({ responses: summaries }, 2), JSON.stringify({ responses: summaries }, null, 2), name);
    }
  });

  it('writes the items of a JsonItems as an array of them, at any depth', () => {
    for (const indent of [0, 2, 4]) {
      assert.equal(written(new JsonItems(ODD_VALUES), indent), JSON.stringify(ODD_VALUES, null, indent), `indent ${indent}`);
      assert.equal(written({ a: [new JsonItems(ODD_VALUES)], b: new JsonItems([]) }, indent), JSON.stringify({ a: [ODD_VALUES], b: [] }, null, indent));
      // Items on both sides of the depth where indentation stops: the text of a plain array, item by item.
      const item = JSON.parse(deepJsonText(5, 'objects')) as unknown;
      for (const depth of [MAX_INDENT_DEPTH - 8, MAX_INDENT_DEPTH - 6, MAX_INDENT_DEPTH - 2, MAX_INDENT_DEPTH - 1, MAX_INDENT_DEPTH, MAX_INDENT_DEPTH + 3]) {
        let lazy: unknown = new JsonItems([item, [item], 1]);
        let plain: unknown = [item, [item], 1];
        for (let level = 0; level < depth; level++) {
          lazy = { level: lazy };
          plain = { level: plain };
        }
        assert.equal(written(lazy, indent), written(plain, indent), `depth ${depth}, indent ${indent}`);
      }
    }
    const deep = JSON.parse(deepJsonText(100_000, 'arrays')) as unknown;
    assert.equal(written({ deep: new JsonItems([deep, deep]) }, 2), written({ deep: [deep, deep] }, 2));
  });

  it('pulls the items of a JsonItems as it writes them', () => {
    let pulled = 0;
    const pulledAtWrites: number[] = [];
    function* items(): Generator<unknown> {
      for (let index = 0; index < 40; index++) {
        pulled++;
        yield { index, text: 'x'.repeat(100_000) };
      }
    }
    writeJson({ items: new JsonItems(items()) }, () => pulledAtWrites.push(pulled), 2);
    assert.ok(pulledAtWrites.length > 1);
    assert.ok((pulledAtWrites[0] as number) < 40, `the first piece was written after ${pulledAtWrites[0]} items`);
  });

  it('refuses a cycle in an item as JSON.stringify does', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    for (const indent of [0, 2]) assert.throws(() => written(new JsonItems([1, cycle]), indent), TypeError);
  });
});
