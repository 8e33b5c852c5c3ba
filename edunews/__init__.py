"""edunews: crawl, clean, deduplicate and store education news."""
