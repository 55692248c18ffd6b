"""Set-up shared by several test modules (apps with a seeded plant, a small production line)."""
