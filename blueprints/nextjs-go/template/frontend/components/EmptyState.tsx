import type { ReactNode } from 'react';

import { ui } from '@/styles/ui';

/** Shown instead of a list that has nothing to show. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <section className={ui.empty} aria-label={title}>
      <div className={ui.stack}>
        <h2 className={ui.title}>{title}</h2>
        {children}
      </div>
    </section>
  );
}
