"""What the two QAOA backends share: option checks, the statevector's qubit limit in closed form,
the Hamming-weight property of the mixers, and the report lines."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from qportfolio.errors import ValidationError
from qportfolio.qaoa.basis import BYTES_PER_STATE
from qportfolio.solvers.qaoa_options import CVAR_ALPHA, WARM_START, keeps_weight, qaoa_report_lines, statevector_limit, warm_parts


@pytest.mark.parametrize("gib", [0.001, 1.0, 8.0, 100.0])
def test_statevector_limit_is_the_largest_power_of_two_that_fits(gib):
    qubits, why = statevector_limit("qaoa", {"max_memory_gb": gib})
    budget = int(gib * 2**30)
    assert 2**qubits * BYTES_PER_STATE <= budget < 2 ** (qubits + 1) * BYTES_PER_STATE or qubits == 1
    assert "qaoa" in why and f"max_memory_gb={gib:g}" in why
    assert statevector_limit("q", {})[0] == math.floor(math.log2(8 * 2**30 / BYTES_PER_STATE))  # the default 8 GiB


def test_only_xy_mixers_keep_the_hamming_weight():
    assert not keeps_weight({}) and not keeps_weight({"mixer": "x"})
    assert keeps_weight({"mixer": "xy-ring"}) and keeps_weight({"mixer": "xy-complete"})


def test_option_checks():
    assert WARM_START.check("incumbent", "warm_start") == "incumbent"
    assert WARM_START.check([0.1, 0.9], "warm_start") == [0.1, 0.9]
    with pytest.raises(ValidationError, match="warm_start must be one of"):
        WARM_START.check("hot", "warm_start")
    assert CVAR_ALPHA.check(1.0, "cvar_alpha") == 1.0
    with pytest.raises(ValidationError):
        CVAR_ALPHA.check(0.0, "cvar_alpha")
    with pytest.raises(ValidationError, match="keeps the Dicke start"):
        warm_parts(None, "xy-ring", "incumbent", 0.25)


def test_report_lines_show_the_distribution_quality_and_dashes_for_missing_figures():
    result = SimpleNamespace(parameters={"reps": 2, "mixer": "x"},
                             info={"qubits": 6, "approximation_ratio": 0.91234, "feasible_probability": 0.5})
    (line,) = qaoa_report_lines(result)
    assert "depth 2, 6 qubits, mixer x" in line and "approximation ratio 0.9123" in line
    assert "P(feasible) 0.5" in line and "P(optimum) —" in line
    result.info["from_samples"] = True
    assert len(qaoa_report_lines(result)) == 2
