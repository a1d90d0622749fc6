/**
 * Admin REST API (bearer token). STUB — being written by the hub-admin helper; the signature is
 * the contract with server.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../../domain/clock';

export interface AdminDeps {
  db: Knex;
  adminToken: string;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Called after a write that recorded changes, so connected devices get a poke. */
  notifyChanges: (brandId: string) => void;
}

export async function registerAdminRoutes(_app: FastifyInstance, _deps: AdminDeps): Promise<void> {}
