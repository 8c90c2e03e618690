// Product catalogue API: reads products, caching them in Redis for a minute.
const express = require('express');
const Redis = require('ioredis');

const app = express();
const redis = new Redis(process.env.REDIS_URL || 'redis://localhost:6379');
const products = [
  { id: 1, name: 'Espresso cup', price: 9.5 },
  { id: 2, name: 'Pour-over kettle', price: 42 },
];

app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));

app.get('/products/:id', async (req, res) => {
  const key = `product:${req.params.id}`;
  const cached = await redis.get(key);
  if (cached) return res.type('json').send(cached);
  const product = products.find((p) => String(p.id) === req.params.id);
  if (!product) return res.status(404).json({ error: 'not found' });
  await redis.set(key, JSON.stringify(product), 'EX', 60);
  return res.json(product);
});

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`catalog-api listening on ${port}`));
