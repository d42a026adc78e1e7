import { afterEach, inject } from 'vitest';
import { cleanup } from '@testing-library/react';

// The page lives on the test backend's origin: the app's relative URLs, its same-origin session
// cookie and its fetches work as they do when the backend serves the built dashboard.
if (typeof window !== 'undefined') {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${inject('kestrelBackendUrl')}/`);
  afterEach(cleanup);
}
