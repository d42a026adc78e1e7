import { direction, formatDecimal, formatSigned } from '../../lib/format.ts';

/**
 * A number in the terminal's style: monospace, tabular, exact (formatted from the decimal string),
 * and coloured green or red when `signed`.
 */
export function Num({ value, digits, signed = false, className }: { value: string | null | undefined; digits?: number; signed?: boolean; className?: string }) {
  const text = signed ? formatSigned(value, digits) : formatDecimal(value, digits);
  const tone = signed ? direction(value) : 'flat';
  return <span className={['num', tone !== 'flat' && tone, className].filter(Boolean).join(' ')}>{text}</span>;
}
