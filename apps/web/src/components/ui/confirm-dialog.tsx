import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Button } from './button.tsx';

/**
 * A modal question before an action that is hard to undo (the kill switch, stopping a bot). Built
 * on <dialog>: focus moves into it and stays there, Escape cancels, and the page behind is inert.
 * Nothing happens unless the confirm button is pressed.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  tone = 'danger',
  busy = false,
  confirmDisabled = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary' | 'success';
  busy?: boolean;
  confirmDisabled?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!confirmDisabled && !busy) onConfirm();
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      {open && (
        <form onSubmit={submit}>
          <div className="dialog-body">
            <h1 id={titleId}>{title}</h1>
            {children}
            {error && (
              <div className="alert alert-error" role="alert">
                {error}
              </div>
            )}
          </div>
          <div className="dialog-actions">
            <Button onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" variant={tone} busy={busy} disabled={confirmDisabled}>
              {confirmLabel}
            </Button>
          </div>
        </form>
      )}
    </dialog>
  );
}
