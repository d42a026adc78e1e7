import type { ReactNode } from 'react';

export type Tone = 'up' | 'down' | 'warn' | 'accent' | 'neutral';

export function Badge({ tone = 'neutral', plain = false, children, title }: { tone?: Tone; plain?: boolean; children: ReactNode; title?: string }) {
  return (
    <span className={['badge', tone !== 'neutral' && `badge-${tone}`, plain && 'plain'].filter(Boolean).join(' ')} title={title}>
      {children}
    </span>
  );
}
