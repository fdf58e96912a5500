import type { SpecSchema } from '../api.ts';
import type { FormKit, RequestFormValues } from '../request-form-model.ts';
import { describedBy, Field } from './Field.tsx';

type TextKey = {
  [K in keyof RequestFormValues]: RequestFormValues[K] extends string ? K : never;
}[keyof RequestFormValues];

/** A text input of the request form, with its label, hint and problem. */
export function TextInput(props: { kit: FormKit; name: TextKey; label: string; hint?: string; type?: string }) {
  const { kit, name, hint } = props;
  const problem = kit.shown(name);
  return (
    <Field id={name} label={props.label} hint={hint} problem={problem}>
      <input
        id={name}
        name={name}
        type={props.type ?? 'text'}
        value={kit.values[name]}
        onChange={(event) => kit.set(name, event.target.value)}
        onBlur={() => kit.touch(name)}
        {...describedBy(name, problem, hint)}
      />
    </Field>
  );
}

/** A choice among the schema's values. */
export function Choice(props: { kit: FormKit; name: TextKey; label: string; options: string[]; hint?: string }) {
  const { kit, name, hint } = props;
  const problem = kit.shown(name);
  return (
    <Field id={name} label={props.label} hint={hint} problem={problem}>
      <select
        id={name}
        value={kit.values[name]}
        onChange={(event) => kit.set(name, event.target.value)}
        {...describedBy(name, problem, hint)}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** The platform services, one checkbox each, described by the schema. */
export function Services(props: {
  schema?: SpecSchema;
  values: Record<string, boolean>;
  onChange: (services: Record<string, boolean>) => void;
}) {
  const services = Object.entries(props.schema?.properties ?? {});
  return (
    <fieldset>
      <legend>Services</legend>
      {services.map(([name, service]) => (
        <div className="check" key={name}>
          <input
            id={`service-${name}`}
            type="checkbox"
            checked={Boolean(props.values[name])}
            onChange={(event) => props.onChange({ ...props.values, [name]: event.target.checked })}
          />
          <label htmlFor={`service-${name}`}>
            {name} <span className="hint">{service.description}</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}
