"""A test-only app installed after community, with one model, as circles will be."""
