import { cloneElement, type ReactElement, type ReactNode } from 'react';

interface ControlProps {
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/**
 * Field labels one control and shows its errors beneath it, tied to the control
 * by aria-describedby so a screen reader reads them with the field.
 */
export function Field({ id, label, hint, errors, children }: { id: string; label: string; hint?: string; errors: readonly string[] | undefined; children: ReactElement<ControlProps> }): ReactNode {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [hint === undefined ? null : hintId, errors === undefined ? null : errorId].filter((x) => x !== null).join(' ');
  return (
    <div className={errors === undefined ? 'field' : 'field invalid'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        ...(errors === undefined ? {} : { 'aria-invalid': true }),
        ...(described === '' ? {} : { 'aria-describedby': described }),
      })}
      {hint === undefined ? null : (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {errors === undefined ? null : (
        <span id={errorId} className="field-error">
          {errors.join('; ')}
        </span>
      )}
    </div>
  );
}
