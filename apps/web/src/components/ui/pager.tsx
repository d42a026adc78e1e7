import { Button } from './button.tsx';

/** Previous / next page buttons under a table, with where you are. */
export function Pager({ label, position, onPrevious, onNext, previousLabel = 'Newer', nextLabel = 'Older' }: { label: string; position: string; onPrevious: (() => void) | null; onNext: (() => void) | null; previousLabel?: string; nextLabel?: string }) {
  return (
    <nav className="pager" aria-label={label}>
      <span className="muted">{position}</span>
      <Button onClick={() => onPrevious?.()} disabled={!onPrevious}>
        {previousLabel}
      </Button>
      <Button onClick={() => onNext?.()} disabled={!onNext}>
        {nextLabel}
      </Button>
    </nav>
  );
}
