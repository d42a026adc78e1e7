import { Link } from 'react-router-dom';
import { Panel } from '../../components/ui/panel.tsx';

/** Pages whose backend is still being built (backtests, research): say so plainly, with what will come. */
export function ComingRoute({ title, what }: { title: string; what: string }) {
  return (
    <>
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <Panel title="Coming soon" testId="coming">
        <div className="state">
          <p>{what}</p>
          <p className="muted">This page arrives with the backtesting and research API.</p>
        </div>
      </Panel>
    </>
  );
}

export function NotFoundRoute() {
  return (
    <div className="state" role="alert">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Back to the overview</Link>.
      </p>
    </div>
  );
}
