"""The HTTP API and the map page: ``create_app(db_path)`` gives a read-only FastAPI app."""
from frontlines.api.app import create_app

__all__ = ["create_app"]
