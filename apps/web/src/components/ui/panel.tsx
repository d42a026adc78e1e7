import { useId, type ReactNode } from 'react';

/** A titled block of the page; its heading labels the region for screen readers. */
export function Panel({ title, actions, children, className, flush = false, testId }: { title: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; flush?: boolean; testId?: string }) {
  const id = useId();
  return (
    <section className={['panel', className].filter(Boolean).join(' ')} aria-labelledby={id} data-testid={testId}>
      <header className="panel-header">
        <h2 id={id}>{title}</h2>
        {actions && <div className="actions">{actions}</div>}
      </header>
      <div className={flush ? 'panel-body flush' : 'panel-body'}>{children}</div>
    </section>
  );
}
