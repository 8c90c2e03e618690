"""Notes API: a small FastAPI service on AWS Lambda (through Mangum) backed by
PostgreSQL. On Lambda it reads the database's address from DATABASE_HOST and
its password from the Secrets Manager secret DATABASE_SECRET_ARN names;
elsewhere DATABASE_URL."""
import json
import os

import boto3
import psycopg
from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel

app = FastAPI(title="notes")


def database_url() -> str:
    if "DATABASE_URL" in os.environ:
        return os.environ["DATABASE_URL"]
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["DATABASE_SECRET_ARN"])
    password = json.loads(secret["SecretString"])["password"]
    return psycopg.conninfo.make_conninfo(
        host=os.environ["DATABASE_HOST"], port=os.environ["DATABASE_PORT"], dbname=os.environ["DATABASE_NAME"],
        user=os.environ["DATABASE_USER"], password=password, sslmode="require",
    )


class Note(BaseModel):
    text: str


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@app.post("/notes")
def add(note: Note) -> dict:
    with psycopg.connect(database_url()) as conn:
        row = conn.execute("INSERT INTO notes (text) VALUES (%s) RETURNING id", (note.text,)).fetchone()
    return {"id": row[0]}


handler = Mangum(app)
