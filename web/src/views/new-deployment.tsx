import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CREATE, NAMESPACES, PREVIEW, type CreateData, type NamespacesData, type PreviewData } from '../api/operations.js';
import { ApiError } from '../api/client.js';
import { EMPTY_FORM, errorsByField, FIELDS, toInput, type DeploymentInput, type Field as FieldName, type FormValues } from '../model/form.js';
import { deploymentHref } from '../model/route.js';
import { POLICIES, REQUESTED_STRATEGIES, type FieldError } from '../model/types.js';
import { useLoad, useSession } from '../hooks.js';
import { Field } from './field.js';
import { PreviewPanel } from './preview.js';

type Preview = { input: DeploymentInput; result: PreviewData['previewDeployment'] };

type TextKey = 'namespace' | 'name' | 'repositoryUrl' | 'ref' | 'region' | 'maxMonthlyCost' | 'alertThreshold';

const id = (f: FieldName): string => `f-${f.replace('.', '-')}`;

/**
 * NewDeployment is the form for a new claim: Preview asks the API what SCIA
 * would do (nothing is applied), then Create applies exactly what was previewed.
 * Any edit after a preview asks for a new one.
 */
export function NewDeployment(): ReactNode {
  const { api, signOut } = useSession();
  const [namespaces] = useLoad('namespaces', async (signal) => (await api.request<NamespacesData>(NAMESPACES, {}, signal)).namespaces);
  const [v, setV] = useState<FormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'create' | null>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  const byField = errorsByField(errors);

  useEffect(() => {
    const first = FIELDS.find((f) => byField.has(f));
    if (first !== undefined) document.getElementById(id(first))?.focus();
    else if (byField.has('')) document.getElementById('form-error')?.focus();
    // Focus moves only when a new set of errors arrives.
  }, [errors]);
  useEffect(() => previewRef.current?.focus(), [preview]);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]): void => {
    setV((old) => ({ ...old, [key]: value }));
    setPreview(null);
  };

  async function call<T>(what: 'preview' | 'create', run: () => Promise<T>): Promise<T | null> {
    setBusy(what);
    try {
      return await run();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signOut(e.message);
      else setErrors([{ field: '', message: e instanceof Error ? e.message : String(e) }]);
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function onPreview(): Promise<void> {
    const input = toInput(v);
    if (!input.ok) return setErrors(input.errors);
    setErrors([]);
    const data = await call('preview', () => api.request<PreviewData>(PREVIEW, { input: input.value }));
    if (data === null) return;
    const p = data.previewDeployment;
    if (p.errors.length > 0 || p.decision === null) setErrors(p.errors.length > 0 ? p.errors : [{ field: '', message: 'the preview returned no decision' }]);
    else setPreview({ input: input.value, result: p });
  }

  async function onCreate(input: DeploymentInput): Promise<void> {
    const data = await call('create', () => api.request<CreateData>(CREATE, { input }));
    if (data === null) return;
    const c = data.createDeployment;
    if (c.errors.length > 0 || c.deployment === null) {
      setPreview(null);
      setErrors(c.errors.length > 0 ? c.errors : [{ field: '', message: 'the claim was not created' }]);
    } else location.hash = deploymentHref(c.deployment.id);
  }

  const text = (f: FieldName, key: TextKey, label: string, props: { hint?: string; placeholder?: string; required?: boolean; inputMode?: 'decimal' } = {}): ReactNode => (
    <Field id={id(f)} label={label} errors={byField.get(f)} {...(props.hint === undefined ? {} : { hint: props.hint })}>
      <input
        type="text"
        value={v[key]}
        onChange={(e) => set(key, e.target.value)}
        required={props.required ?? false}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        list={key === 'namespace' ? 'namespace-options' : undefined}
        autoComplete="off"
      />
    </Field>
  );

  return (
    <div className="new-deployment">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onPreview();
        }}
        aria-describedby={byField.has('') ? 'form-error' : undefined}
      >
        {byField.has('') ? (
          <p id="form-error" className="field-error" role="alert" tabIndex={-1}>
            {byField.get('')?.join('; ')}
          </p>
        ) : null}
        <fieldset>
          <legend>Where</legend>
          {text('namespace', 'namespace', 'Namespace', { required: true, hint: 'Your team’s namespace' })}
          <datalist id="namespace-options">{namespaces.state === 'ready' ? namespaces.value.map((n) => <option key={n} value={n} />) : null}</datalist>
          {text('name', 'name', 'Name', { required: true, placeholder: 'flask-api' })}
          {text('region', 'region', 'Region', { required: true, placeholder: 'eu-west-3' })}
        </fieldset>
        <fieldset>
          <legend>What</legend>
          {text('repository.url', 'repositoryUrl', 'Repository URL', { required: true, placeholder: 'https://github.com/acme/flask-api' })}
          {text('repository.ref', 'ref', 'Ref (branch, tag or commit)')}
          <Field id={id('prompt')} label="What you want, in your words" errors={byField.get('prompt')}>
            <textarea value={v.prompt} onChange={(e) => set('prompt', e.target.value)} rows={3} maxLength={4000} placeholder="Python API for our mobile app, high availability, under $200/month" />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Budget</legend>
          {text('budget.maxMonthlyCost', 'maxMonthlyCost', 'Monthly ceiling (USD)', { inputMode: 'decimal' })}
          {text('budget.alertThreshold', 'alertThreshold', 'Alert at (share of the ceiling)', { inputMode: 'decimal' })}
          <Field id={id('budget.enforcementMode')} label="Enforcement" hint="A hard budget refuses decisions above the ceiling" errors={byField.get('budget.enforcementMode')}>
            <select value={v.enforcementMode} onChange={(e) => set('enforcementMode', e.target.value === 'hard' ? 'hard' : 'soft')}>
              <option value="soft">soft (warn)</option>
              <option value="hard">hard (refuse)</option>
            </select>
          </Field>
        </fieldset>
        <fieldset aria-describedby={byField.has('policies') ? `${id('policies')}-error` : undefined}>
          <legend>Policies</legend>
          {POLICIES.map((p) => (
            <label key={p} className="choice">
              <input
                type="checkbox"
                checked={v.policies.includes(p)}
                onChange={(e) => set('policies', e.target.checked ? [...v.policies, p] : v.policies.filter((x) => x !== p))}
              />
              {p}
            </label>
          ))}
          {byField.has('policies') ? (
            <span id={`${id('policies')}-error`} className="field-error">
              {byField.get('policies')?.join('; ')}
            </span>
          ) : null}
        </fieldset>
        <Field id={id('strategy')} label="Strategy" errors={byField.get('strategy')}>
          <select value={v.strategy} onChange={(e) => set('strategy', REQUESTED_STRATEGIES.find((s) => s === e.target.value) ?? 'auto')}>
            {REQUESTED_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {s === 'auto' ? 'auto (let SCIA choose)' : s}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={busy !== null}>
          {busy === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
      </form>
      {preview === null || preview.result.decision === null ? null : (
        <section aria-labelledby="preview-title" className="card preview">
          <h2 id="preview-title" tabIndex={-1} ref={previewRef}>
            Preview: what SCIA would do
          </h2>
          <PreviewPanel decision={preview.result.decision} warnings={preview.result.warnings} />
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void onCreate(preview.input)}>
            {busy === 'create' ? 'Creating…' : `Create ${preview.input.name} in ${preview.input.namespace}`}
          </button>
        </section>
      )}
    </div>
  );
}
