import Link from 'next/link';

import { ui } from '@/styles/ui';

export default function NotFound() {
  return (
    <section className={ui.card}>
      <div className={ui.stack}>
        <h1 className={ui.title}>Page not found</h1>
        <p className={ui.muted}>There is nothing at this address.</p>
        <p>
          <Link className={ui.link} href="/">
            Go to the home page
          </Link>
        </p>
      </div>
    </section>
  );
}
