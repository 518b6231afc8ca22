"""Environment -> Rasa endpoints: SQLite by default, PostgreSQL and Redis by URL."""
import pytest

from bot.settings import ROOT, Settings, lock_store_config, tracker_store_config


def test_defaults_need_no_other_service():
    endpoints = Settings.from_env({}).endpoints()
    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(ROOT / "var" / "tracker.db")}
    assert endpoints["lock_store"] == {"type": "in_memory"}
    assert endpoints["action_endpoint"] == {"url": "http://127.0.0.1:5055/webhook"}


def test_postgresql_url_becomes_a_sql_tracker_store():
    assert tracker_store_config("postgresql://rasa:s%40cret@db.local:5433/tracker") == {
        "type": "SQL", "dialect": "postgresql", "url": "db.local", "port": 5433,
        "db": "tracker", "username": "rasa", "password": "s@cret",
    }


def test_redis_url_becomes_a_redis_lock_store():
    assert lock_store_config("redis://:pw@127.0.0.1:6380/2") == {
        "type": "redis", "url": "127.0.0.1", "port": 6380, "db": 2,
        "key_prefix": "cybercare", "password": "pw",
    }


@pytest.mark.parametrize("url", ["mysql://x/y", "http://x"])
def test_unsupported_tracker_database_is_refused(url):
    with pytest.raises(ValueError, match="TRACKER_DB_URL"):
        tracker_store_config(url)


def test_bad_redis_url_is_refused():
    with pytest.raises(ValueError, match="REDIS_URL"):
        lock_store_config("localhost:6379")


def test_environment_overrides_ports_and_stores():
    settings = Settings.from_env({"RASA_PORT": "6005", "ACTIONS_PORT": "6055", "REDIS_URL": "redis://r:6379/0"})
    assert settings.webchat_url == "http://127.0.0.1:6005/webhooks/webchat/"
    assert settings.endpoints()["lock_store"]["type"] == "redis"
