import type { ReactNode } from 'react';
import { Button } from './button.tsx';

/**
 * The end of every form: the error that belongs to no field (field errors sit on their fields),
 * the submit button, and a short success note announced to screen readers.
 */
export function FormFooter({ error, busy, submitLabel, success, submitTestId }: { error?: string | null | undefined; busy: boolean; submitLabel: ReactNode; success?: ReactNode; submitTestId?: string }) {
  return (
    <>
      {error && (
        <div className="alert alert-error" role="alert" style={{ marginTop: 8 }}>
          {error}
        </div>
      )}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid={submitTestId}>
          {submitLabel}
        </Button>
        {success && (
          <span className="up" role="status">
            {success}
          </span>
        )}
      </div>
    </>
  );
}
