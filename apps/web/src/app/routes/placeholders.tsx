import { Link } from 'react-router-dom';

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
