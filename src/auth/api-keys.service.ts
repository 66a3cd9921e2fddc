import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';

export const SCOPES = ['sync:write', 'sync:read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KEY_PATTERN = /^rfa_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** API keys: shown once at creation, stored only as a SHA-256 hash of their secret part. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly db: DataSource) {}

  async create(name: string, scopes: Scope[]): Promise<{ key: string; info: ApiKeyInfo }> {
    const prefix = randomBytes(4).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    try {
      const [info] = await this.db.query<ApiKeyInfo[]>(
        `INSERT INTO api_keys (name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4)
         RETURNING id, name, prefix, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
        [name, prefix, hash(secret), scopes],
      );
      return { key: `rfa_${prefix}_${secret}`, info };
    } catch (error) {
      // The driver's message would quote the statement, the new secret's hash among its parameters.
      const code = (error as { code?: string }).code;
      if (code === '23505') throw new Error(`An API key named "${name}" is in use; revoke it first, or choose another name.`, { cause: error });
      throw new Error(`The API key could not be created: ${code ?? 'database error'}`, { cause: error });
    }
  }

  list(): Promise<ApiKeyInfo[]> {
    return this.db.query<ApiKeyInfo[]>(
      `SELECT id, name, prefix, scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt" FROM api_keys ORDER BY id`,
    );
  }

  async revoke(name: string): Promise<boolean> {
    // Counted through a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
    const [{ revoked }] = await this.db.query<{ revoked: number }[]>(
      `WITH r AS (UPDATE api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id) SELECT count(*)::int AS revoked FROM r`,
      [name],
    );
    return revoked > 0;
  }

  /** The key's record when the presented key is valid and not revoked; undefined otherwise. */
  async verify(presented: string): Promise<ApiKeyInfo | undefined> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return undefined;
    const [row] = await this.db.query<(ApiKeyInfo & { secretHash: string })[]>(
      `SELECT id, name, prefix, scopes, secret_hash AS "secretHash", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_keys WHERE prefix = $1`,
      [match[1]],
    );
    if (!row || row.revokedAt) return undefined;
    const expected = Buffer.from(row.secretHash, 'hex');
    const actual = Buffer.from(hash(match[2]), 'hex');
    if (!timingSafeEqual(expected, actual)) return undefined;
    await this.db.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [row.id]);
    const { secretHash: _secretHash, ...info } = row;
    return info;
  }
}
