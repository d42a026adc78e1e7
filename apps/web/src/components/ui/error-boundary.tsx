import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './button.tsx';

/**
 * Keeps a crash in one part of the page (a chart, a panel) from blanking the whole dashboard:
 * the part shows what broke and a button to try again; the rest keeps working.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; label?: string; resetKey?: unknown }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[kestrel] ${this.props.label ?? 'a part of the page'} crashed`, error, info.componentStack);
  }

  override componentDidUpdate(prev: { resetKey?: unknown }) {
    if (this.state.error && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state" role="alert">
        <div>
          {this.props.label ?? 'This part of the page'} failed to display: {this.state.error.message}
        </div>
        <div style={{ marginTop: 8 }}>
          <Button onClick={() => this.setState({ error: null })}>Try again</Button>
        </div>
      </div>
    );
  }
}
