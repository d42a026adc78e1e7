import type { TestProject } from 'vitest/node';
import { startTestStack, type TestStack } from '@kestrel/test-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real backend the component tests talk to (same origin as the test page). */
    kestrelBackendUrl: string;
  }
}

let stack: TestStack | undefined;

/** One real stack (platform-service + backend on PGlite) for every component test file. */
export async function setup(project: TestProject) {
  stack = await startTestStack({ kind: 'pglite' });
  project.provide('kestrelBackendUrl', stack.backend.url);
}

export async function teardown() {
  await stack?.close();
}
