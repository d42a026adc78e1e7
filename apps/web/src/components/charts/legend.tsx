/** The names and colours of the lines on a chart (lightweight-charts draws no legend itself). */
export function ChartLegend({ lines }: { lines: ReadonlyArray<{ id: string; label: string; color: string }> }) {
  return (
    <ul className="chart-legend" aria-label="Legend">
      {lines.map((l) => (
        <li key={l.id}>
          <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
          {l.label}
        </li>
      ))}
    </ul>
  );
}
