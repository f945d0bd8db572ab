import express from 'express';
import { Hono } from 'hono';
import { pool } from './db.js';

export const router = express.Router();

/** Unchecked: an Express body field into the write. */
router.post('/orders', async (req, res) => {
  await pool.query('INSERT INTO orders (quantity) VALUES ($1)', [req.body.quantity]);
  res.sendStatus(201);
});

/** Checked: a route parameter tested before the write (an early return). */
router.put('/orders/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) {
    res.sendStatus(400);
    return;
  }
  await pool.query('UPDATE orders SET done = true WHERE id = $1', [id]);
  res.sendStatus(204);
});

export const app = new Hono();

/** Unchecked: a Hono request body into the write. */
app.post('/notes', async (c) => {
  const note = await c.req.json<{ text: string }>();
  await pool.query('INSERT INTO notes (text) VALUES ($1)', [note.text]);
  return c.text('ok', 201);
});
