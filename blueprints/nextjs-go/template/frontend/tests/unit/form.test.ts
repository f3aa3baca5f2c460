import { FormReader, problemState } from '@/lib/form';

function reader(entries: Record<string, string>): FormReader {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) {
    data.set(name, value);
  }
  return new FormReader(data);
}

describe('FormReader', () => {
  it('reads each kind of value', () => {
    const read = reader({
      s: '  text  ',
      i: '-2147483648',
      b: '9223372036854775807',
      n: '12.5',
      t: '2030-01-02T03:04',
      d: '2024-02-29',
      u: '0b7e7d4c-3f0e-4b6a-9a51-2f1c8d7e6a10',
      c: 'pro',
    });
    expect(read.string('s', 'S', { maxLength: 10 })).toBe('text');
    expect(read.integer('i', 'I')).toBe(-2147483648);
    expect(read.bigint('b', 'B')).toBe('9223372036854775807');
    expect(read.number('n', 'N')).toBe(12.5);
    expect(read.dateTime('t', 'T')).toBe('2030-01-02T03:04:00Z');
    expect(read.date('d', 'D')).toBe('2024-02-29');
    expect(read.uuid('u', 'U')).toBe('0b7e7d4c-3f0e-4b6a-9a51-2f1c8d7e6a10');
    expect(read.choice('c', 'C', ['free', 'pro'] as const)).toBe('pro');
    expect(read.boolean('missing')).toBe(false);
    expect(read.ok).toBe(true);
  });

  it('refuses values out of their bounds, one message per field', () => {
    const read = reader({ s: 'ééé', i: '2147483648', b: '9223372036854775808', t: 'soon', d: '2023-02-30x', u: 'x', c: 'gold' });
    read.string('s', 'S', { maxLength: 2 });
    read.integer('i', 'I');
    read.bigint('b', 'B');
    read.dateTime('t', 'T');
    read.date('d', 'D');
    read.uuid('u', 'U');
    read.choice('c', 'C', ['free', 'pro'] as const);
    expect(Object.keys(read.errors).sort()).toEqual(['b', 'c', 'd', 'i', 's', 't', 'u']);
  });

  it('gives null for an empty control, and requires it unless optional', () => {
    const read = reader({ a: '', b: ' ' });
    expect(read.integer('a', 'A', { optional: true })).toBeNull();
    expect(read.string('b', 'B', { maxLength: 5 })).toBeNull();
    expect(read.errors).toEqual({ b: 'B is required' });
  });
});

describe('problemState', () => {
  it('keeps the submitted values and maps field errors', () => {
    const state = problemState({ title: 'Unprocessable Entity', detail: 'bad', errors: [{ field: 'x', message: 'is wrong' }] }, { x: '1' });
    expect(state).toEqual({ message: 'bad', errors: { x: 'is wrong' }, values: { x: '1' } });
  });
});
