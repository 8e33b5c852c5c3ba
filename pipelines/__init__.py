"""Ingestion: validate, normalise, deduplicate and store extracted articles."""
