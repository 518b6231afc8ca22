"""Policies and claims store of Cyber Care (SQLAlchemy 1.4; SQLite by default, PostgreSQL by URL).

The bot's actions call `actions.claims.store`; the schema is created on first use.
"""
