import { randomUUID } from 'node:crypto';
import { AppError, rooms, type CreateExchangeAccountRequest, type ExchangeAccount, type PaperConfig } from '@kestrel/contracts';
import { and, eq, exchangeAccounts, orders, pgErrorOf, profiles, type Database, type Tx } from '@kestrel/db';
import type { RealtimeHub } from '../realtime/hub.ts';
import { appendAudit } from './audit.ts';
import { isAdmin, isOperator, type ActorContext } from './context.ts';
import type { SecretBox } from './secret-box.ts';

type Row = typeof exchangeAccounts.$inferSelect;

export function toExchangeAccount(row: Row): ExchangeAccount {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    venue: row.venue,
    apiKeyLast4: row.apiKeyLast4,
    hasApiSecret: row.apiSecretEnc !== null,
    paperConfig: (row.paperConfig as PaperConfig | null) ?? null,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What an exchange adapter needs to sign requests; only the venue factory ever sees it. */
export interface ExchangeCredentials {
  apiKey: string;
  apiSecret: string;
}

/**
 * Exchange accounts of a tenant. Paper accounts trade on the simulated exchange; live accounts
 * hold an API key and secret encrypted with the SecretBox (the associated data binds each
 * ciphertext to its account and field). Responses carry the key's last 4 characters at most.
 */
export class ExchangeAccountService {
  constructor(
    private readonly database: Database,
    private readonly box: SecretBox,
    private readonly hub: RealtimeHub,
  ) {}

  async list(actor: Pick<ActorContext, 'tenantId'>): Promise<ExchangeAccount[]> {
    const rows = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) =>
      tx.select().from(exchangeAccounts).where(eq(exchangeAccounts.tenantId, actor.tenantId)).orderBy(exchangeAccounts.createdAt),
    );
    return rows.map(toExchangeAccount);
  }

  async get(actor: Pick<ActorContext, 'tenantId'>, id: string): Promise<ExchangeAccount> {
    const row = await this.database.withTenant({ tenantId: actor.tenantId }, (tx) => this.find(tx, actor.tenantId, id));
    return toExchangeAccount(row);
  }

  async find(tx: Tx, tenantId: string, id: string): Promise<Row> {
    const [row] = await tx.select().from(exchangeAccounts).where(and(eq(exchangeAccounts.tenantId, tenantId), eq(exchangeAccounts.id, id)));
    if (!row) throw new AppError('NOT_FOUND', 'No such exchange account.');
    return row;
  }

  /** Decrypted credentials of a live account (null for paper), for the venue factory only. */
  credentials(row: Row): ExchangeCredentials | null {
    if (row.kind !== 'live' || !row.apiKeyEnc || !row.apiSecretEnc) return null;
    return { apiKey: this.box.decrypt(row.apiKeyEnc, `${row.id}:apiKey`), apiSecret: this.box.decrypt(row.apiSecretEnc, `${row.id}:apiSecret`) };
  }

  async create(actor: ActorContext, body: CreateExchangeAccountRequest): Promise<ExchangeAccount> {
    if (body.kind === 'live' && !isAdmin(actor) && !isOperator(actor)) {
      throw new AppError('FORBIDDEN', 'Only an admin can add a live exchange account; traders can add paper accounts.');
    }
    const id = randomUUID();
    const values = {
      id,
      tenantId: actor.tenantId,
      name: body.name,
      kind: body.kind,
      venue: body.venue,
      apiKeyEnc: body.apiKey ? this.box.encrypt(body.apiKey, `${id}:apiKey`) : null,
      apiSecretEnc: body.apiSecret ? this.box.encrypt(body.apiSecret, `${id}:apiSecret`) : null,
      apiKeyLast4: body.apiKey ? body.apiKey.slice(-4) : null,
      paperConfig: body.kind === 'paper' ? (body.paperConfig ?? {}) : null,
    };
    const { view, entry } = await this.database
      .withTenant({ tenantId: actor.tenantId }, async (tx) => {
        const [row] = await tx.insert(exchangeAccounts).values(values).returning();
        const view = toExchangeAccount(row!);
        const entry = await appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'exchange_account.create', target: `exchange_account:${id}`, before: null, after: view });
        return { view, entry };
      })
      .catch((err: unknown) => {
        if (pgErrorOf(err).code === '23505') throw new AppError('CONFLICT', `An exchange account named "${body.name}" already exists.`);
        throw err;
      });
    void this.hub.publish('/admin', rooms.tenant(actor.tenantId), 'audit.entry', entry);
    return view;
  }

  async delete(actor: ActorContext, id: string): Promise<void> {
    const entry = await this.database.withTenant({ tenantId: actor.tenantId }, async (tx) => {
      const row = await this.find(tx, actor.tenantId, id);
      if (row.kind === 'live' && !isAdmin(actor) && !isOperator(actor)) {
        throw new AppError('FORBIDDEN', 'Only an admin can delete a live exchange account.');
      }
      const [usedByProfile] = await tx.select({ id: profiles.id }).from(profiles).where(eq(profiles.exchangeAccountId, id)).limit(1);
      const [usedByOrder] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.exchangeAccountId, id)).limit(1);
      if (usedByProfile || usedByOrder) throw new AppError('EXCHANGE_ACCOUNT_IN_USE');
      await tx.delete(exchangeAccounts).where(and(eq(exchangeAccounts.tenantId, actor.tenantId), eq(exchangeAccounts.id, id)));
      return appendAudit(tx, actor, { tenantId: actor.tenantId, action: 'exchange_account.delete', target: `exchange_account:${id}`, before: toExchangeAccount(row), after: null });
    });
    void this.hub.publish('/admin', rooms.tenant(actor.tenantId), 'audit.entry', entry);
  }
}
