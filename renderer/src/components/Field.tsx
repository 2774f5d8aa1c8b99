// The one labelled form control: a text input, or a choice (select) when `options` is given.
// The label is exactly the accessible name the contracts name; a hint is a description.
import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';

type InputProps = { label: string; hint?: string; options?: undefined } & InputHTMLAttributes<HTMLInputElement>;
type SelectProps = { label: string; hint?: string; options: ReadonlyArray<{ value: string; label: string }> } & SelectHTMLAttributes<HTMLSelectElement>;

export function Field(props: InputProps | SelectProps) {
  const id = useId();
  const { label, hint } = props;
  const described = hint ? { 'aria-describedby': `${id}-hint` } : {};
  let control;
  if (props.options) {
    const { label: _l, hint: _h, options, ...select } = props;
    control = (
      <select id={id} {...described} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    const { label: _l, hint: _h, options: _o, ...input } = props;
    control = <input id={id} {...described} {...input} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}
