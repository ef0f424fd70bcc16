// A <select> over a fixed list of choices (strings or numbers), each shown with its own words. The one place that
// maps choices to <option>s and the chosen option back to its typed value, so no caller casts an event's string.
import React from 'react';

export interface ChoiceSelectProps<T extends string | number> {
  value: T;
  choices: readonly T[];
  /** The words shown for a choice (in the caller's language). */
  label: (choice: T) => string;
  onChange: (choice: T) => void;
  /** For a visible <label htmlFor>; a form that labels its fields sets it (and aria-invalid) by cloning. */
  id?: string;
  'aria-invalid'?: boolean;
  /** Names the select for assistive technology when no visible label does. */
  ariaLabel?: string;
  testId?: string;
  style?: React.CSSProperties;
}

export function ChoiceSelect<T extends string | number>(props: ChoiceSelectProps<T>) {
  const { value, choices, label, onChange } = props;
  return (
    <select
      id={props.id}
      aria-invalid={props['aria-invalid']}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
      style={props.style}
      value={value}
      onChange={(e) => {
        const chosen = choices.find((c) => String(c) === e.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {choices.map((c) => (
        <option key={c} value={c}>
          {label(c)}
        </option>
      ))}
    </select>
  );
}
