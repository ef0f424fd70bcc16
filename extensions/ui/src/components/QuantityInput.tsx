import React, { useEffect, useState } from 'react';
import styled from 'styled-components';
import { t } from '../i18n.js';
import { parseResource, type QuantityError, type QuantityKind, type QuantityResult } from '../quantity.js';

const ERROR_KEYS: Record<QuantityError, string> = {
  empty: 'ui.quantity.empty',
  invalid: 'ui.quantity.invalid',
  negative: 'ui.quantity.negative',
  fraction: 'ui.quantity.fraction',
  precision: 'ui.quantity.precision',
};
const PLACEHOLDER_KEYS: Record<QuantityKind, string> = {
  cpu: 'ui.quantity.placeholderCpu',
  memory: 'ui.quantity.placeholderMemory',
  gpu: 'ui.quantity.placeholderGpu',
};

export function quantityErrorText(error: QuantityError): string {
  return t(ERROR_KEYS[error]);
}

const Field = styled.span`
  display: inline-flex;
  flex-direction: column;
  gap: 4px;
  input {
    height: 32px;
    width: 160px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    padding: 0 8px;
  }
  input[aria-invalid='true'] {
    border-color: #ca2621;
  }
  small {
    color: #ca2621;
  }
`;

export interface QuantityInputProps {
  kind: QuantityKind;
  /** Canonical quantity text, e.g. "500m", "2Gi", "4". */
  value: string;
  /** Called on every edit: the canonical text when valid, `undefined` otherwise, and the parse result. */
  onChange: (canonical: string | undefined, result: QuantityResult) => void;
  /** An empty field is valid (meaning "no limit") when true. */
  optional?: boolean;
  disabled?: boolean;
  'aria-label'?: string;
}

/** A text input for a CPU / memory / GPU quantity that checks what is typed and explains what is wrong. */
export function QuantityInput({ kind, value, onChange, optional, disabled, ...rest }: QuantityInputProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const result = parseResource(kind, text);
  const showError = !result.ok && !(optional && result.error === 'empty');
  return (
    <Field>
      <input
        value={text}
        disabled={disabled}
        placeholder={t(PLACEHOLDER_KEYS[kind])}
        aria-label={rest['aria-label']}
        aria-invalid={showError}
        onChange={(e) => {
          setText(e.target.value);
          const r = parseResource(kind, e.target.value);
          onChange(r.ok ? r.canonical : undefined, r);
        }}
      />
      {showError && !result.ok && <small role="alert">{quantityErrorText(result.error)}</small>}
    </Field>
  );
}
