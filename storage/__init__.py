"""Storage: the one place that talks to the database."""

from storage.store import (
    InvalidInput,
    Participant,
    Session,
    SessionClosed,
    Store,
    StoreError,
    database_url,
)

__all__ = ["InvalidInput", "Participant", "Session", "SessionClosed", "Store", "StoreError", "database_url"]
