import Link from 'next/link';

import type { Choice } from '@/lib/form';
import { ui } from '@/styles/ui';

/** One filter of a list: a reference, narrowed to the rows that point at one row. */
export interface Filter {
  /** The query parameter and the select's name, e.g. `customer_id`. */
  name: string;
  label: string;
  /** The rows the select offers besides "All". */
  choices: Choice[];
  /** The id in the URL, if any. */
  selected?: string;
}

/**
 * A GET form over the list's own address, so a filter lives in the URL (bookmarks, the
 * back button and paging keep it) and works without JavaScript. Applying it starts at the
 * first page: the form carries no cursor.
 */
export function ListFilter({ basePath, filters }: { basePath: string; filters: Filter[] }) {
  return (
    <form className={ui.toolbar} action={basePath} method="get" aria-label="Filter">
      {filters.map(({ name, label, choices, selected }) => (
        <div className={ui.field} key={name}>
          <label className={ui.label} htmlFor={`filter-${name}`}>
            {label}
          </label>
          <select className={ui.input} id={`filter-${name}`} name={name} defaultValue={selected ?? ''}>
            <option value="">All</option>
            {/* A selected row older than the offered ones is still shown as selected. */}
            {selected && !choices.some((c) => c.value === selected) ? (
              <option value={selected}>{selected}</option>
            ) : null}
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button className={ui.buttonSecondary} type="submit">
        Filter
      </button>
      {filters.some((f) => f.selected) ? (
        <Link className={ui.link} href={basePath}>
          Clear the filter
        </Link>
      ) : null}
    </form>
  );
}
