"""data/scores.py: per-asset scores from JSON or CSV, in the problem's asset order, every mistake refused."""

import json

import numpy as np
import pytest

from qportfolio.data.scores import read_scores
from qportfolio.errors import DataError

ASSETS = ("AAA", "BBB", "CCC")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_json_and_csv_give_the_scores_in_asset_order(tmp_path):
    js = write(tmp_path, "s.json", json.dumps({"CCC": 3.5, "AAA": -1, "BBB": 0.25}))
    csv = write(tmp_path, "s.csv", "asset,score\nBBB,0.25\nCCC,3.5\nAAA,-1\n")
    for path in (js, csv):
        out = read_scores(path, ASSETS)
        assert out.dtype == float and np.array_equal(out, [-1.0, 0.25, 3.5])
    assert np.array_equal(read_scores(str(js), ("BBB", "AAA", "CCC")), [0.25, -1.0, 3.5])


@pytest.mark.parametrize("name, text, message", [
    ("s.json", "{not json", "not valid JSON"),
    ("s.json", "[1, 2, 3]", "expected a JSON object"),
    ("s.json", '{"AAA": 1, "BBB": "2", "CCC": 3}', "score of 'BBB' must be a finite number, got '2'"),
    ("s.json", '{"AAA": 1, "BBB": true, "CCC": 3}', "score of 'BBB' must be a finite number, got True"),
    ("s.json", '{"AAA": 1, "BBB": NaN, "CCC": 3}', "score of 'BBB' must be a finite number"),
    ("s.json", '{"AAA": 1, "BBB": 2, "CCC": 3, "DDD": 4}', "unknown asset\\(s\\) DDD"),
    ("s.json", '{"AAA": 1}', "no score for asset\\(s\\) BBB, CCC"),
    ("s.csv", "name,value\nAAA,1\n", "expected the two columns asset,score"),
    ("s.csv", "asset,score,extra\nAAA,1,2\n", "expected the two columns asset,score"),
    ("s.csv", "asset,score\nAAA,1\nBBB,2\nCCC,3\nAAA,4\n", "asset 'AAA' is scored twice"),
    ("s.csv", "asset,score\nAAA,1\nBBB,inf\nCCC,3\n", "score of 'BBB' must be a finite number"),
    ("s.csv", "", "not a readable CSV"),
])
def test_mistakes_are_refused_with_the_reason(tmp_path, name, text, message):
    with pytest.raises(DataError, match=message):
        read_scores(write(tmp_path, name, text), ASSETS)


def test_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_scores(tmp_path / "nowhere.json", ASSETS)
