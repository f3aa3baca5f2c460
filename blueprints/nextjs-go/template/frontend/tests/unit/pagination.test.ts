import { pageHref, parseId, parseTrail } from '@/lib/pagination';

// Cursors are the server's opaque tokens, 32 characters of the contract's pattern.
const c1 = 'c1'.padEnd(32, 'A');
const c2 = 'c2'.padEnd(32, 'B');

describe('pageHref', () => {
  it('addresses the first page without a query', () => {
    expect(pageHref('/invoices', [])).toBe('/invoices');
    expect(pageHref('/invoices', [], { customer_id: undefined })).toBe('/invoices');
  });

  it('keeps the filters before the trail of cursors', () => {
    const id = '5b0c3d4e-0000-4000-8000-000000000001';
    expect(pageHref('/invoices', [c1, c2], { customer_id: id })).toBe(`/invoices?customer_id=${id}&after=${c1},${c2}`);
    expect(pageHref('/invoices', [], { customer_id: id })).toBe(`/invoices?customer_id=${id}`);
  });
});

describe('parseId', () => {
  it('takes one UUID, in lower case', () => {
    expect(parseId('5B0C3D4E-0000-4000-8000-000000000001')).toBe('5b0c3d4e-0000-4000-8000-000000000001');
  });

  it.each([undefined, '', 'nope', '5b0c3d4e', ['5b0c3d4e-0000-4000-8000-000000000001']])(
    'means no filter for %p',
    (value) => {
      expect(parseId(value)).toBeUndefined();
    },
  );
});

describe('parseTrail', () => {
  it('reads the cursors and refuses a malformed trail', () => {
    expect(parseTrail(`${c1},${c2}`)).toEqual([c1, c2]);
    expect(parseTrail(`${c1},<script>`)).toEqual([]);
    expect(parseTrail('c1,c2')).toEqual([]);
  });
});
