export * from './client.ts';
export * from './migrate.ts';
export * from './tenant-context.ts';
export * from './schema/index.ts';
export { sql, eq, and, or, desc, asc, lt, gt, lte, gte, inArray, isNull, isNotNull, ne, notInArray } from 'drizzle-orm';
