// Lists page by cursor. The URL keeps the trail of cursors that led to the current page
// (`?after=c1,c2`), so "Previous" is the trail without its last cursor and no page needs
// a count of the table.
export const PAGE_SIZE = 20;

// The pattern of a cursor in the OpenAPI contract: what the API returns and accepts.
const CURSOR = /^[A-Za-z0-9_-]{32}$/;
const MAX_TRAIL = 200;

/** The cursors of `?after=`; anything malformed means the first page. */
export function parseTrail(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) {
    return [];
  }
  const trail = raw.split(',');
  return trail.length <= MAX_TRAIL && trail.every((c) => CURSOR.test(c)) ? trail : [];
}

/** A list's filters as they appear in its URL (`?customer_id=...`); empty ones are left out. */
export type Filters = Record<string, string | undefined>;

/**
 * The address of the page after `trail` (or of the first page for an empty trail), with
 * the list's filters kept so that paging never drops them.
 */
export function pageHref(basePath: string, trail: string[], filters: Filters = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value) {
      query.set(name, value);
    }
  }
  if (trail.length > 0) {
    query.set('after', trail.join(','));
  }
  // Cursors and ids are URL-safe; keep the separator readable.
  const search = query.toString().replaceAll('%2C', ',');
  return search ? `${basePath}?${search}` : basePath;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A filter's id from the query string; anything that is not one UUID means no filter. */
export function parseId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && ID.test(value) ? value.toLowerCase() : undefined;
}

/** How many rows a reference's select offers: one page of the API at its largest. */
export const MAX_CHOICES = 100;
