/**
 * The verifier recomputes hashes with its own fast canonical form: for anything JSON.parse can
 * return, it must be exactly canonicalJson, and a stored event must hash exactly as the store
 * hashed it on append (docs/audit.md, "Hash chain").
 */
import { metadataView, storedMetadataView } from '../../../src/audit/verify-chain';
import { canonicalJson, canonicalParsedJson, eventHash, storedEventHash } from '../../../src/event-store/hashing';

const samples: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1.5,
  -2e-7,
  1e21,
  123456789012345680000,
  '',
  'plain',
  '潼南区财政局 “引号” \\ / \n \t \u0001 \u2028 😀',
  [],
  [1, 'two', null, [3, { b: 1, a: 2 }]],
  {},
  { b: 1, a: 2, A: 3, _: 4, '': 5, '10': 6, '9': 7, é: 8, z: { y: [{ x: 1, w: 2 }] } },
  { '"quoted"': 'k', 'back\\slash': 'k', 'new\nline': 'k', '\u0000': 'nul', '😀': 'astral', ｚ: 'fullwidth' },
  { __proto__: 'own', constructor: 'own', toJSON: 1, hasOwnProperty: 2 },
];

describe('canonicalParsedJson equals canonicalJson on parsed JSON', () => {
  it.each(samples.map((s) => [JSON.stringify(s)]))('%s', (text) => {
    const parsed = JSON.parse(text);
    expect(canonicalParsedJson(parsed)).toBe(canonicalJson(parsed));
  });

  it('leaves out one top-level key (metadata without hash), and only at the top level', () => {
    const metadata = JSON.parse('{"hash":"h","prevHash":"p","actor":{"hash":"kept","id":"a"}}');
    const { hash: _drop, ...rest } = metadata;
    expect(canonicalParsedJson(metadata, 'hash')).toBe(canonicalJson(rest));
    expect(canonicalParsedJson(metadata, 'hash')).toContain('"hash":"kept"');
  });
});

describe('storedEventHash equals eventHash of the event as appended', () => {
  it('for an event read back from its stored JSON text', () => {
    const data = {
      projectId: 'TN2021-017',
      amount: '1250.00',
      details: { householdId: 'H-0101' },
      fiscalYear: 2022,
      lines: [{ lineId: 'B1' }],
      note: undefined,
    };
    const metadata = {
      eventId: 'e-1',
      commandId: 'c-1',
      requestHash: 'a'.repeat(64),
      actor: { id: 'u', role: 'finance', org: '区财政局' },
      correlationId: 'c-1',
      causationId: 'c-1',
      recordedAt: '2022-03-01T08:00:00.000Z',
      prevHash: '0'.repeat(64),
    };
    const hash = eventHash('project-TN2021-017', 12n, 'funds-received.v1', data, metadata);
    const stored = JSON.parse(JSON.stringify({ ...metadata, hash }));
    expect(
      storedEventHash('project-TN2021-017', 12n, 'funds-received.v1', JSON.parse(JSON.stringify(data)), stored),
    ).toBe(hash);
    expect(
      storedEventHash('project-TN2021-017', 13n, 'funds-received.v1', JSON.parse(JSON.stringify(data)), stored),
    ).not.toBe(hash);
  });
});

describe("the fast path for the store's own metadata layout gives what the general path gives", () => {
  const base = {
    eventId: 'e-1',
    commandId: 'c-1',
    requestHash: 'a'.repeat(64),
    actor: { id: 'demo-finance-li', role: 'finance', org: '区财政局' },
    correlationId: 'corr',
    causationId: 'cause',
    recordedAt: '2022-03-01T08:00:00.000Z',
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  };
  const texts: [string, string][] = [
    ['as the store writes it', JSON.stringify(base)],
    [
      'with quotes, backslashes and control characters',
      JSON.stringify({ ...base, commandId: 'say "hi" \\ \n \u0001' }),
    ],
    ['with a surrogate pair and a lone surrogate', JSON.stringify({ ...base, correlationId: '😀 \ud800' })],
    ['with an escape JSON.stringify would not write', JSON.stringify(base).replace('"finance"', '"\\u0066inance"')],
    ['with whitespace', JSON.stringify(base, null, 1)],
    ['with its keys in another order', JSON.stringify(Object.fromEntries(Object.entries(base).reverse()))],
    [
      "with the actor's keys in another order",
      JSON.stringify({ ...base, actor: { org: '区财政局', id: 'x', role: 'finance' } }),
    ],
    ['with a key more', JSON.stringify({ ...base, schemaVersion: 2 })],
    ['with a number for a string', JSON.stringify({ ...base, recordedAt: 5 })],
    ['without a hash', JSON.stringify({ ...base, hash: undefined })],
    ['with U+2028 and non-ASCII text', JSON.stringify({ ...base, causationId: '\u2028 é 潼南' })],
  ];
  it.each(texts)('%s', (_what, text) => {
    const parsed = JSON.parse(text);
    expect(storedMetadataView(text)).toEqual({
      canonical: canonicalJson({ ...parsed, hash: undefined }),
      hash: parsed.hash,
      prevHash: parsed.prevHash,
      eventId: parsed.eventId,
    });
    expect(metadataView(parsed)).toEqual(storedMetadataView(text));
  });

  it('is null for JSON that is not an object, and throws for text that is not JSON', () => {
    expect(storedMetadataView('[1]')).toBeNull();
    expect(storedMetadataView('null')).toBeNull();
    expect(() => storedMetadataView('{"eventId":')).toThrow(SyntaxError);
  });
});
