"""The store: documents, readings and mentions in SQLite (default) or PostgreSQL."""
from frontlines.store.store import AmbiguousId, Store, StoreError, haversine_km

__all__ = ["AmbiguousId", "Store", "StoreError", "haversine_km"]
