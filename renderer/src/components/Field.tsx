// The one labelled form control: a text input, or a choice (select) when `options` is given.
// The label is the accessible name the contracts name.
import type { InputHTMLAttributes, SelectHTMLAttributes } from 'react';

type InputProps = { label: string; hint?: string; options?: undefined } & InputHTMLAttributes<HTMLInputElement>;
type SelectProps = { label: string; hint?: string; options: ReadonlyArray<{ value: string; label: string }> } & SelectHTMLAttributes<HTMLSelectElement>;

export function Field(props: InputProps | SelectProps) {
  const { label, hint } = props;
  if (props.options) {
    const { label: _l, hint: _h, options, ...select } = props;
    return (
      <label className="field">
        <span>{label}</span>
        <select {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {hint && <small>{hint}</small>}
      </label>
    );
  }
  const { label: _l, hint: _h, options: _o, ...input } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <input {...input} />
      {hint && <small>{hint}</small>}
    </label>
  );
}
