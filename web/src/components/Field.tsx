import type { ReactNode } from 'react';

/** A labelled input with its hint and its problem, announced and linked for screen readers. */
export function Field(props: { id: string; label: string; hint?: string; problem?: string; children: ReactNode }) {
  return (
    <div className={props.problem ? 'field invalid' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.problem ? (
        <p className="problem" id={`${props.id}-problem`} role="alert">
          {props.problem}
        </p>
      ) : null}
    </div>
  );
}

/** The aria attributes an input of a Field carries. */
export const describedBy = (id: string, problem?: string, hint?: string) => ({
  'aria-invalid': problem ? true : undefined,
  'aria-describedby': [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined,
});
