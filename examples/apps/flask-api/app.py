"""Orders API for the mobile app: a small Flask service backed by PostgreSQL."""
import os

from flask import Flask, jsonify, request
import psycopg

app = Flask(__name__)
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost/orders")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/orders")
def list_orders():
    with psycopg.connect(DATABASE_URL) as conn:
        rows = conn.execute("SELECT id, item, quantity FROM orders ORDER BY id LIMIT 100").fetchall()
    return jsonify([{"id": r[0], "item": r[1], "quantity": r[2]} for r in rows])


@app.post("/orders")
def create_order():
    body = request.get_json(force=True)
    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute(
            "INSERT INTO orders (item, quantity) VALUES (%s, %s) RETURNING id",
            (body["item"], int(body.get("quantity", 1))),
        ).fetchone()
    return {"id": row[0]}, 201


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
