// Statistics, formatting and the target ledger shared by the bench sections.

/** Median, min and max of a list of samples (ms, MB, …). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

/** Nearest-rank percentile (p in 0–100): the smallest sample with at least p % of the samples at or below it. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function ms(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const d = digits ?? (value >= 100 ? 0 : value >= 10 ? 1 : 2);
  return `${value.toFixed(d)} ms`;
}

export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : 'n/a';
}

/** "median (min–max)" */
export function range(summary: Summary, format: (value: number) => string = (v) => ms(v)): string {
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, column) => Math.max(h.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function heading(title: string): void {
  console.log('');
  console.log(title);
  console.log('='.repeat(title.length));
}

interface Verdict {
  section: string;
  what: string;
  measured: string;
  target: string;
  pass: boolean | null;
}

/** Every target checked in this run, for the summary at the end. `pass: null` = could not be measured. */
export const verdicts: Verdict[] = [];

/** Records a target and prints its PASS/MISS line. */
export function verdict(section: string, what: string, measured: string, target: string, pass: boolean | null): void {
  verdicts.push({ section, what, measured, target, pass });
  const word = pass === null ? 'N/A ' : pass ? 'PASS' : 'MISS';
  console.log(`  ${word}  ${what}: ${measured}  (target: ${target})`);
}

export function printVerdicts(): void {
  heading('Summary of targets');
  const rows = verdicts.map((v) => [`${v.section} ${v.what}`, v.measured, v.target, v.pass === null ? 'N/A' : v.pass ? 'PASS' : 'MISS']);
  console.log(table(['what', 'measured', 'target', ''], rows));
  const passed = verdicts.filter((v) => v.pass === true).length;
  const missed = verdicts.filter((v) => v.pass === false).length;
  const unknown = verdicts.filter((v) => v.pass === null).length;
  console.log(`\n${passed} PASS, ${missed} MISS${unknown ? `, ${unknown} not measured` : ''} of ${verdicts.length} targets`);
}
