"""Extraction: page bytes in, one clean article (or a named reason it is none) out; no Scrapy, no database."""
