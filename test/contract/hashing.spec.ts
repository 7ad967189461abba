/**
 * The hash chain's definition (src/event-store/hashing.ts), checked against values computed here
 * independently, the way an auditor would recompute them with their own tools.
 */
import { createHash } from 'node:crypto';
import {
  GENESIS_HASH,
  canonicalJson,
  chainedMetadata,
  deriveEventId,
  eventHash,
  sha256Hex,
} from '../../src/event-store/hashing';

const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

describe('canonicalJson', () => {
  it('sorts object keys by UTF-16 code unit at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    // Code-unit order, not locale order: digits, upper case, lower case, then non-ASCII.
    expect(canonicalJson({ b: 0, a: 0, B: 0, Z: 0, '10': 0, '9': 0, é: 0 })).toBe(
      '{"10":0,"9":0,"B":0,"Z":0,"a":0,"b":0,"é":0}',
    );
    // An astral character (a surrogate pair, 0xD83D...) sorts before U+FF21 by code unit.
    expect(canonicalJson({ '\uFF21': 1, '\u{1F600}': 2 })).toBe('{"\u{1F600}":2,"\uFF21":1}');
  });

  it('does not depend on the order keys were inserted in', () => {
    const one = { amount: '1250.00', source: 'district_matching', lineId: 'L1', nested: { b: 2, a: 1 } };
    const two = { nested: { a: 1, b: 2 }, lineId: 'L1', source: 'district_matching', amount: '1250.00' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('writes scalars as JSON does, bigints as decimal strings, and escapes strings as JSON', () => {
    expect(canonicalJson('潼南 "q" \\ \n')).toBe(JSON.stringify('潼南 "q" \\ \n'));
    expect(canonicalJson(12)).toBe('12');
    expect(canonicalJson(-0.5)).toBe('-0.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(12345678901234567890n)).toBe('"12345678901234567890"');
    expect(canonicalJson({ position: 7n })).toBe('{"position":"7"}');
  });

  it('drops undefined object members and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
    expect(canonicalJson([1, undefined, 2])).toBe(JSON.stringify([1, undefined, 2]));
  });

  it('serializes values with toJSON (Date) as JSON does, so the hash covers what is stored', () => {
    const d = new Date('2021-09-01T08:30:00.000Z');
    expect(canonicalJson(d)).toBe('"2021-09-01T08:30:00.000Z"');
    expect(canonicalJson({ at: d })).toBe(JSON.stringify({ at: d }));
    // Two different dates must not canonicalize alike.
    expect(canonicalJson({ at: new Date(0) })).not.toBe(canonicalJson({ at: new Date(1) }));
    const amount = { internal: [1, 2], toJSON: () => '1250.00' };
    expect(canonicalJson({ amount })).toBe('{"amount":"1250.00"}');
  });

  it('is valid JSON that parses back to the same plain value', () => {
    const value = { z: [1, 'two', { three: 3 }], a: { nested: null, ok: false }, name: '凉风垭小区' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('eventHash', () => {
  const metadata = {
    eventId: '3f0b9c1e-0000-5000-8000-000000000000',
    commandId: 'cmd-1',
    requestHash: 'a'.repeat(64),
    actor: { id: 'u-1', role: 'street_office', org: '桂林街道' },
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    recordedAt: '2021-09-01T08:30:00.000Z',
    prevHash: GENESIS_HASH,
  };

  it('is SHA-256 over the canonical {stream, revision, type, data, metadata}, with the revision as a string', () => {
    const text =
      '{"data":{"amount":"1250.00","source":"district_matching"},' +
      '"metadata":{"actor":{"id":"u-1","org":"桂林街道","role":"street_office"},"causationId":"cmd-1","commandId":"cmd-1",' +
      '"correlationId":"corr-1","eventId":"3f0b9c1e-0000-5000-8000-000000000000",' +
      `"prevHash":"${'0'.repeat(64)}","recordedAt":"2021-09-01T08:30:00.000Z","requestHash":"${'a'.repeat(64)}"},` +
      '"revision":"3","stream":"project-TN2021-017","type":"funding-pledged.v1"}';
    const hash = eventHash(
      'project-TN2021-017',
      3n,
      'funding-pledged.v1',
      { source: 'district_matching', amount: '1250.00' },
      metadata,
    );
    expect(hash).toBe(sha256(text));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256Hex(text)).toBe(sha256(text));
  });

  it('changes when any hashed part changes', () => {
    const data = { amount: '1250.00' };
    const h = eventHash('project-1', 0n, 't.v1', data, metadata);
    expect(eventHash('project-2', 0n, 't.v1', data, metadata)).not.toBe(h);
    expect(eventHash('project-1', 1n, 't.v1', data, metadata)).not.toBe(h);
    expect(eventHash('project-1', 0n, 't.v2', data, metadata)).not.toBe(h);
    expect(eventHash('project-1', 0n, 't.v1', { amount: '1250.01' }, metadata)).not.toBe(h);
    expect(eventHash('project-1', 0n, 't.v1', data, { ...metadata, prevHash: 'f'.repeat(64) })).not.toBe(h);
    expect(eventHash('project-1', 0n, 't.v1', data, { ...metadata })).toBe(h);
  });

  it('has the all-zero genesis hash', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('chainedMetadata', () => {
  it('keeps every given key as data, an own "__proto__" from a parsed file included, as an object spread does', () => {
    const given = JSON.parse('{"__proto__":{"x":1},"commandId":"c","hash":"old"}');
    const [m] = chainedMetadata('s', -1n, GENESIS_HASH, [{ eventId: 'e', type: 't', data: {}, metadata: given }]);
    const { hash: _h, ...spread } = given;
    const expected: Record<string, unknown> = { ...spread, eventId: 'e', prevHash: GENESIS_HASH };
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.keys(m)).toEqual(['__proto__', 'commandId', 'eventId', 'prevHash', 'hash']);
    expect(m.hash).toBe(eventHash('s', 0n, 't', {}, expected));
  });
});

describe('deriveEventId', () => {
  it('is a deterministic UUID with version 5 and the RFC 4122 variant', () => {
    const id = deriveEventId('cmd-42', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveEventId('cmd-42', 0)).toBe(id);
  });

  it('is the first 16 bytes of SHA-256("renovation-ledger:<command>:<index>") with the version and variant bits set', () => {
    const reference = (command: string, index: number) => {
      const digest = createHash('sha256').update(`renovation-ledger:${command}:${index}`).digest();
      digest[6] = (digest[6] & 0x0f) | 0x50;
      digest[8] = (digest[8] & 0x3f) | 0x80;
      const h = digest.subarray(0, 16).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
    expect(deriveEventId('cmd-42', 1)).toBe(reference('cmd-42', 1));
    // Enough commands for every value of the bytes the version and variant bits are set in.
    for (let i = 0; i < 2000; i++)
      expect(deriveEventId(`cmd-${i}-金额`, i % 3)).toBe(reference(`cmd-${i}-金额`, i % 3));
  });

  it('differs by command id and by index', () => {
    const ids = new Set<string>();
    for (const command of ['cmd-1', 'cmd-2', 'cmd-10', 'cmd-1:0']) {
      for (let i = 0; i < 5; i++) ids.add(deriveEventId(command, i));
    }
    expect(ids.size).toBe(20);
  });
});
