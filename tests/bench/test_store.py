"""The SQLite result store: one row per job key."""

from __future__ import annotations

from qportfolio.bench import ResultStore


def test_store_never_duplicates_a_key(tmp_path):
    with ResultStore(tmp_path / "r.sqlite") as store:
        row = {"key": "abc", "objective": 1.5, "info": {"x": [1, 2]}, "finished_at": 1.0}
        assert store.add(row) is True
        assert store.add({**row, "objective": 9.0}) is False
        rows = store.rows()
    assert len(rows) == 1 and rows[0]["objective"] == 1.5 and rows[0]["info"] == {"x": [1, 2]}
