/**
 * The shape checks (data-shape.ts): a shape's compiled happy path must refuse exactly what its
 * field checks refuse, and the refusal must be the check's own, naming the field.
 */
import {
  Check,
  ShapeError,
  arrayOf,
  boolean,
  decimalAmount,
  integer,
  number,
  oneOf,
  optional,
  recordOf,
  shape,
  string,
} from '../../../src/shared/domain/data-shape';

interface Line {
  id: string;
  amount: string;
  year: number;
  area: number;
  done: boolean;
  kind: 'a' | 'b';
  note?: string;
  tags: Record<string, string>;
  parts: { n: number }[];
}

const line: Check<Line> = shape<Line>({
  id: string,
  amount: decimalAmount,
  year: integer,
  area: number,
  done: boolean,
  kind: oneOf(['a', 'b'] as const),
  note: optional(string),
  tags: recordOf(string),
  parts: arrayOf(shape<{ n: number }>({ n: integer })),
});

const good: Line = {
  id: 'L1',
  amount: '-1250.05',
  year: 2022,
  area: 12.5,
  done: false,
  kind: 'b',
  tags: { utility: 'gas' },
  parts: [{ n: 1 }],
};

function refusal(value: unknown): string {
  try {
    line(value);
  } catch (err) {
    if (err instanceof ShapeError) return err.at('data');
    throw err;
  }
  throw new Error('expected a refusal, and the value fit');
}

describe('a shape', () => {
  it('returns the value itself when every field fits, an optional one absent or present', () => {
    expect(line(good)).toBe(good);
    const noted = { ...good, note: 'x', extra: 1 };
    expect(line(noted)).toBe(noted);
  });

  it.each([
    [{ id: 7 }, 'data.id must be a string (got number 7)'],
    [{ amount: '1.234' }, 'data.amount must be a decimal amount string such as "1250.00" (got "1.234")'],
    [{ amount: 12 }, 'data.amount must be a decimal amount string such as "1250.00" (got number 12)'],
    [{ year: 2022.5 }, 'data.year must be a whole number (got number 2022.5)'],
    [{ area: Number.NaN }, 'data.area must be a finite number (got number NaN)'],
    [{ done: 'no' }, 'data.done must be true or false (got "no")'],
    [{ kind: 'c' }, 'data.kind must be one of a, b (got "c")'],
    [{ note: null }, 'data.note must be a string (got null)'],
    [{ tags: { utility: 1 } }, 'data.tags.utility must be a string (got number 1)'],
    [{ parts: [{ n: 1 }, { n: '2' }] }, 'data.parts[1].n must be a whole number (got "2")'],
    [{ id: undefined }, 'data.id must be a string (got nothing)'],
  ])('refuses %j, naming the field', (change, message) => {
    expect(refusal({ ...good, ...change })).toBe(message);
  });

  it('names the first field that does not fit', () => {
    expect(refusal({ ...good, year: '2022', id: 1 })).toBe('data.id must be a string (got number 1)');
  });

  it('refuses what is not an object', () => {
    expect(refusal([good])).toBe('data must be an object (got an array)');
  });

  it('lets an error that is not a refusal through', () => {
    const boom: Check<string> = () => {
      throw new TypeError('boom');
    };
    expect(() => shape<{ x: string }>({ x: boom })({ x: 'y' })).toThrow(TypeError);
  });
});
