"""Environment -> Rasa endpoints: SQLite by default, PostgreSQL and Redis by URL."""
import pytest

from bot.settings import ROOT, Settings, lock_store_config, tracker_store_config


def test_defaults_need_no_other_service():
    endpoints = Settings.from_env({}).endpoints()
    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": str(ROOT / "var" / "tracker.db")}
    assert endpoints["lock_store"] == {"type": "in_memory"}
    action = endpoints["action_endpoint"]
    assert action["url"] == "http://127.0.0.1:5055/webhook" and len(action["token"]) >= 32
    # A new secret per start unless one is given (several Rasa instances sharing one action server).
    assert Settings.from_env({}).actions_token != action["token"]
    assert Settings.from_env({"ACTIONS_TOKEN": "shared"}).endpoints()["action_endpoint"]["token"] == "shared"


@pytest.mark.parametrize("host, token, refused", [
    ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False),
    ("0.0.0.0", None, True), ("192.168.1.20", None, True), ("0.0.0.0", "t0ken", False)])
def test_the_api_must_have_a_token_when_reachable_from_other_machines(host, token, refused):
    env = {"CYBERCARE_HOST": host, **({"RASA_API_TOKEN": token} if token else {})}
    problems = Settings.from_env(env).problems()
    assert bool(problems) == refused
    assert all("RASA_API_TOKEN" in problem for problem in problems)


@pytest.mark.stack  # starts a process of its own
def test_the_launcher_refuses_to_start_open_to_the_network_without_a_token():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "RASA_API_TOKEN"}
    run = subprocess.run([sys.executable, "-m", "bot.launcher"], cwd=ROOT, capture_output=True, text=True,
                         env={**env, "CYBERCARE_HOST": "0.0.0.0"}, timeout=120)
    assert run.returncode == 2 and "RASA_API_TOKEN" in run.stderr


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
