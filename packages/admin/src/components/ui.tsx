import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';

/** The page's title (its one h1), with the page's main actions beside it. */
export function PageHeader({
  title,
  children,
  back,
}: {
  title: ReactNode;
  children?: ReactNode;
  back?: { to: string; label: string };
}) {
  return (
    <div className="page-header">
      <div>
        {back && (
          <Link className="back-link" to={back.to}>
            ← {back.label}
          </Link>
        )}
        <h1>{title}</h1>
      </div>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** A section of a page with its h2. */
export function Card({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  // No aria-labelledby: a labelled section would answer to its title as a label (a "Stock" card to
  // the label Stock), and its h2 already gives the page its outline.
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <div className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

const TONES: Record<string, string> = {
  published: 'success',
  paid: 'info',
  fulfilling: 'info',
  shipped: 'info',
  delivered: 'success',
  visible: 'success',
  sent: 'success',
  active: 'success',
  draft: 'neutral',
  pending: 'warning',
  started: 'warning',
  shipment_created: 'info',
  hidden: 'warning',
  inactive: 'neutral',
  archived: 'neutral',
  cancelled: 'danger',
  refunded: 'danger',
  failed: 'danger',
  stopped: 'danger',
};

/** A status as a coloured badge; the word is always there, colour only adds to it. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status.replace(/_/g, ' ')}</span>;
}

/** An error for the person to read, announced when it appears. */
export function ErrorMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert">
      {children}
    </div>
  );
}

/** A confirmation ("Saved"), announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A labelled form field: label, control, hint and error, tied together for assistive technology. */
export function Field({
  label,
  id,
  hint,
  error,
  children,
  className,
}: {
  label: ReactNode;
  id: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`field ${className ?? ''} ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The aria-describedby of a Field's control. */
export function describedBy(id: string, hint?: unknown, error?: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** A modal question with a confirm and a cancel button (the native dialog keeps focus inside). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
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
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={open ? titleId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {/* Its content exists only while open, so a closed dialog's fields never answer to a page's labels. */}
      {open && (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            onConfirm();
          }}
        >
          <h2 id={titleId}>{title}</h2>
          <div className="dialog-body">{children}</div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button
              type="submit"
              className={`button ${danger ? 'button-danger' : 'button-primary'}`}
              disabled={busy}
            >
              {confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** Previous and next for lists read page by page. */
export function Pager({
  label,
  onPrevious,
  onNext,
  status,
}: {
  label: string;
  onPrevious?: (() => void) | undefined;
  onNext?: (() => void) | undefined;
  status?: ReactNode;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button" onClick={onPrevious} disabled={!onPrevious}>
        Previous
      </button>
      {status && <span className="pager-status">{status}</span>}
      <button type="button" className="button" onClick={onNext} disabled={!onNext}>
        Next
      </button>
    </nav>
  );
}
