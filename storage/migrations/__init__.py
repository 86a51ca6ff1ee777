"""Schema migrations (Alembic): the database changes only through the versions in versions/."""
