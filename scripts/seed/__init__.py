"""The seed generator of `make seed` (scripts/seed.py); see common.py."""
