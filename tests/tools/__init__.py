"""Helpers for the tests that are not tests themselves (e.g. fetching axe-core)."""
