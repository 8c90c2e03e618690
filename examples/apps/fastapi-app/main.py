"""Thumbnail service: resizes images on request. Runs under uvicorn, or on
AWS Lambda through Mangum (the container image's handler is main.handler)."""
from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel

app = FastAPI(title="thumbnails")


class Resize(BaseModel):
    url: str
    width: int = 256


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@app.post("/thumbnails")
def thumbnail(req: Resize) -> dict:
    return {"source": req.url, "width": req.width, "status": "queued"}


handler = Mangum(app)
