import { PrismaClient, type Prisma } from '@prisma/client';
import { drizzle } from 'drizzle-orm/node-postgres';
import express, { type Request, type Response } from 'express';
import { Hono } from 'hono';
import Redis from 'ioredis';
import mysql from 'mysql2/promise';
import { Client, Pool, type PoolClient } from 'pg';
import { createClient } from 'redis';

export const pgPool = new Pool();
export const pgClient = new Client();
export declare const pgPoolClient: PoolClient;
export const maybePool = pgPool as Pool | undefined;
export const mysqlPool = mysql.createPool({});
export declare const mysqlConnection: mysql.PoolConnection;
export const ioredisClient = new Redis();
export const redisClient = createClient();
export const db = drizzle(pgPool);
export const prisma = new PrismaClient();
export declare const prismaTx: Prisma.TransactionClient;
export declare const expressReq: Request;
export declare const expressRes: Response;

class MyPool extends Pool {}
export const myPool = new MyPool();

class Unrelated {
  query(): void {}
}
export const unrelated = new Unrelated();
export const plain = { a: 1 };
export const text = 'x';
export const map = new Map<string, string>();

export async function callbacks(): Promise<void> {
  await db.transaction(async (drizzleTx) => void drizzleTx);
  const app = new Hono();
  app.get('/', (honoContext) => honoContext.text('ok'));
  const server = express();
  server.get('/', (req, res) => res.send(req.params));
}
