/**
 * Declaration format for collections, indexes and security rules. The declarations themselves live
 * in `database/collections.ts`; the local executor and the CloudBase deploy script both read them.
 */
export type IndexDirection = 1 | -1;

export interface IndexDecl {
  /** Index name, unique within the collection (CloudBase requires names). */
  name: string;
  /** Ordered keys: field path (dot paths allowed) to direction. */
  keys: Record<string, IndexDirection>;
  unique?: boolean;
}

/**
 * CloudBase security rule for the client SDK. All writes go through cloud functions, so rules only
 * ever grant reads: `false` (nobody) or `"doc._openid == auth.openid"` (own documents).
 */
export interface SecurityRule {
  read: boolean | string;
  write: false;
}

export interface CollectionDecl {
  name: string;
  /** What lives here, for people reading the schema. */
  description: string;
  indexes: IndexDecl[];
  rule: SecurityRule;
}

export const DENY_ALL: SecurityRule = { read: false, write: false };
export const OWNER_READ: SecurityRule = { read: 'doc._openid == auth.openid', write: false };
