// Shop API: orders live in PostgreSQL (DATABASE_URL), product pages are cached in Redis (REDIS_URL).
const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');

const app = express();
app.use(express.json());
const db = new Pool({ connectionString: process.env.DATABASE_URL });
const cache = new Redis(process.env.REDIS_URL || 'redis://localhost:6379');

app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

app.get('/products/:id', async (req, res) => {
  const key = `product:${req.params.id}`;
  const cached = await cache.get(key);
  if (cached) return res.type('json').send(cached);
  const { rows } = await db.query('SELECT id, name, price FROM products WHERE id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'not found' });
  await cache.set(key, JSON.stringify(rows[0]), 'EX', 60);
  return res.json(rows[0]);
});

app.post('/orders', async (req, res) => {
  const { rows } = await db.query('INSERT INTO orders (product_id, quantity) VALUES ($1, $2) RETURNING id', [req.body.productId, req.body.quantity ?? 1]);
  res.status(201).json({ id: rows[0].id });
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`shop-api listening on ${port}`));
