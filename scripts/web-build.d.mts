// Types of web-build.mjs for the TypeScript callers (the browser tests in apps/web/e2e).
export declare const webDistDir: string;
export declare function buildWebIfStale(): boolean;
