/**
 * What the pages build their tables and headline figures from (first for the bureau's 资金下达台账 and 银行对账): a
 * header row, a right-aligned money or percent cell carrying its data-figure key, a headline
 * figure, a count of a list, a section listing a report's exceptions.
 */
import type { ComponentChildren } from 'preact';
import { Section } from '../components';
import { count, percent, yuan } from '../format';

/** A column heading: a label, or a numeric column's `{ label, num: true }` (right-aligned). */
export type Col = string | { label: string; num: true };

export const num = (label: string): Col => ({ label, num: true });

export function Heads({ cols }: { cols: Col[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) =>
          typeof c === 'string' ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" class="num">
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** A money cell: the API's decimal string with thousands separators and two decimals. */
export function Money({ value, figure, warn }: { value: string | null | undefined; figure?: string; warn?: boolean }) {
  return (
    <td class={warn ? 'num severity-high' : 'num'} data-figure={figure}>
      {yuan(value)}
    </td>
  );
}

/** A percent cell as the API gives it ("—" where its divisor is zero). */
export function Rate({
  value,
  figure,
  behind,
}: {
  value: string | null | undefined;
  figure?: string;
  behind?: boolean;
}) {
  return (
    <td class={behind ? 'num behind' : 'num'} data-figure={figure}>
      {percent(value)}
    </td>
  );
}

/** A headline figure: its label and its formatted value. */
export function Figure({ label, figure, children }: { label: string; figure?: string; children: ComponentChildren }) {
  return (
    <div class="figure-box">
      <dt>{label}</dt>
      <dd class="figure" data-figure={figure}>
        {children}
      </dd>
    </div>
  );
}

/** A headline count of a list the API gives (the matches, the exceptions), with its unit. */
export function Tally({
  label,
  figure,
  items,
  unit,
}: {
  label: string;
  figure: string;
  items: unknown[];
  unit: string;
}) {
  return (
    <div class="figure-box">
      <dt>{label}</dt>
      <dd class="figure">
        <span data-figure={figure}>{count(items.length)}</span> {unit}
      </dd>
    </div>
  );
}

/**
 * A section listing what a report found (the exceptions of a reconciliation): "没有。" when it
 * found nothing, else a table with its caption (for screen readers), its headings and `children`,
 * the table's body or bodies.
 */
export function ListSection({
  title,
  caption,
  cols,
  empty,
  children,
}: {
  title: string;
  caption: string;
  cols: Col[];
  empty: boolean;
  children: ComponentChildren;
}) {
  return (
    <Section title={title}>
      {empty ? (
        <p>没有。</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{caption}</caption>
            <Heads cols={cols} />
            {children}
          </table>
        </div>
      )}
    </Section>
  );
}
