import { useEffect, useState } from 'preact/hooks';

const PATTERNS = {
  day: { regex: /^\d{4}-\d{2}-\d{2}$/, hint: 'YYYY-MM-DD', example: '2023-12-29', what: '这一天' },
  month: { regex: /^\d{4}-\d{2}$/, hint: 'YYYY-MM', example: '2023-04', what: '这个月' },
} as const;

/** A real calendar day or month (2023-02-30 is not), written as the ledger writes them. */
function isCalendarValue(value: string, kind: keyof typeof PATTERNS): boolean {
  if (!PATTERNS[kind].regex.test(value)) return false;
  const [y, m, d = 1] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * What is wrong with a typed date (or month), in the reader's words, or null when it is a real
 * one: the form (2022/2/3) is named apart from a day the calendar does not have (2022-02-30).
 */
export function calendarProblem(value: string, kind: keyof typeof PATTERNS): string | null {
  const { regex, hint, example, what } = PATTERNS[kind];
  if (!regex.test(value)) return `请按 ${hint} 填写，如 ${example}`;
  if (!isCalendarValue(value, kind)) return `日历上没有 ${value} ${what}`;
  return null;
}

/**
 * A date (or month) typed as YYYY-MM-DD (YYYY-MM): a browser's own date picker shows the date in
 * its locale's order (06/30/2022, 2022/6/30), where the ledger's pages write every date one way.
 * The value is taken on Enter or when the field is left; an impossible date is named, not taken.
 */
export function DateField({
  id,
  label,
  value,
  kind = 'day',
  max,
  onCommit,
}: {
  id: string;
  label: string;
  value: string;
  kind?: keyof typeof PATTERNS;
  /** The latest value allowed, in the same form (today, the as-of date). */
  max?: string;
  onCommit: (value: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  // A new value from outside (回到今天, another page's date): what was typed and its problem go.
  useEffect(() => {
    setDraft(value);
    setProblem(null);
  }, [value]);
  const { hint } = PATTERNS[kind];
  const commit = () => {
    const typed = draft.trim();
    if (typed === value) return setProblem(null);
    const wrong = typed === '' ? null : calendarProblem(typed, kind);
    if (wrong) return setProblem(wrong);
    if (typed !== '' && max !== undefined && typed > max) return setProblem(`不能晚于 ${max}`);
    setProblem(null);
    onCommit(typed);
  };
  return (
    <span class="date-field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        class={kind}
        inputMode="numeric"
        autoComplete="off"
        placeholder={hint}
        size={kind === 'day' ? 10 : 7}
        value={draft}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        onBlur={commit}
      />
      {problem ? (
        <span id={`${id}-problem`} class="field-problem" role="alert">
          {problem}
        </span>
      ) : null}
    </span>
  );
}
