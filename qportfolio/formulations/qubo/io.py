"""QUBO files: a dimod BQM with what is needed to decode its samples alone.

``save`` writes the BQM (dimod's binary file, or its serialisable JSON form for ``*.json``) and
appends qportfolio's information: the problem and its fingerprint, the encoding, the penalties, the
Lagrangian shift and the variable layout (format ``FILE_FORMAT``). ``load`` reads it back as a
:class:`~.model.QuboModel` whose energies are the file's; ``decode_file`` decodes samples with
nothing but the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dimod
import numpy as np

from ...encodings import WeightEncoding
from ...errors import DataError
from ...problem import PortfolioProblem
from ...status import jsonable
from ..penalties import Penalties
from .layout import VariableLayout
from .model import DecodedSamples, QuboModel

#: Marks the qportfolio information appended to a dimod binary BQM file (dimod reads the file's own
#: length-prefixed sections and ignores what follows them).
INFO_MARKER = b"\nQPORTFOLIO-QUBO-INFO\n"
FILE_FORMAT = "qportfolio-qubo/1"


def _info(qubo: QuboModel, options: Mapping[str, Any]) -> dict[str, Any]:
    lay = qubo.layout
    return jsonable({
        "format": FILE_FORMAT,
        "fingerprint": qubo.problem.fingerprint,
        "problem": {**qubo.problem.to_spec(), "provenance": dict(qubo.problem.provenance)},
        "encoding": {"name": lay.encoding.name, "chain": lay.encoding.chain, "cap": lay.encoding.cap},
        "options": dict(options),
        "penalties": qubo.penalties.as_dict(),
        "shift": qubo.shift,
        "layout": {"labels": list(lay.labels), "asset": lay.asset, "coefficient": lay.coefficient,
                   "is_selection": lay.is_selection, "selection_index": lay.selection_index, "parent": lay.parent},
    })


def save(qubo: QuboModel, path: str, **options: Any) -> None:
    """Write ``qubo.bqm`` to ``path`` with what is needed to decode its samples alone: the problem,
    its fingerprint, the encoding, the penalties and the variable layout (``options``: how it was
    encoded, recorded as given). ``*.json``: dimod's serialisable form plus an ``info`` key; otherwise
    dimod's binary file (``BinaryQuadraticModel.from_file`` reads it as is) followed by that info."""
    info = _info(qubo, options)
    if str(path).endswith(".json"):
        with open(path, "w") as fh:
            json.dump({**qubo.bqm.to_serializable(), "info": info}, fh)
        return
    with open(path, "wb") as fh, qubo.bqm.to_file() as src:
        while chunk := src.read(1 << 20):
            fh.write(chunk)
        fh.write(INFO_MARKER + json.dumps(info).encode())


def load(path: str) -> QuboModel:
    """A QUBO written by :func:`save`, ready to ``decode`` samples (no re-encoding; the energies are
    the file's). A file without qportfolio's information is refused with the way to write one."""
    raw = Path(path).read_bytes()
    if str(path).endswith(".json"):
        data = json.loads(raw)
        info = data.pop("info", None) if isinstance(data, dict) else None
        bqm = dimod.BinaryQuadraticModel.from_serializable(data) if info else None
    else:
        cut = raw.rfind(INFO_MARKER)
        info = json.loads(raw[cut + len(INFO_MARKER):]) if cut >= 0 else None
        bqm = dimod.BinaryQuadraticModel.from_file(raw[:cut]) if info else None
    if not info or info.get("format") != FILE_FORMAT or bqm is None:
        raise DataError(f"{path}: not a QUBO written by qportfolio (qportfolio encode --out FILE, or "
                        "qportfolio.formulations.qubo.save); it carries no problem and layout to decode with")
    spec = dict(info["problem"])
    provenance = spec.pop("provenance", {})
    problem = PortfolioProblem(**{k: v for k, v in spec.items()}, provenance=provenance)
    if problem.fingerprint != info["fingerprint"]:
        raise DataError(f"{path}: the stored problem's fingerprint {problem.fingerprint} differs from the recorded "
                        f"{info['fingerprint']}; the file was altered")
    lay = info["layout"]
    enc = info["encoding"]
    layout = VariableLayout(labels=tuple(lay["labels"]), asset=np.array(lay["asset"], dtype=np.int64),
                            coefficient=np.array(lay["coefficient"], dtype=np.int64),
                            is_selection=np.array(lay["is_selection"], dtype=bool),
                            selection_index=np.array(lay["selection_index"], dtype=np.int64),
                            parent=np.array(lay["parent"], dtype=np.int64),
                            encoding=WeightEncoding(enc["name"], chain=enc["chain"], cap=enc["cap"]))
    return QuboModel(problem, layout, Penalties(**info["penalties"]), None, 0.0, float(info["shift"]), built_bqm=bqm)


def decode_file(path: str, samples: Any) -> DecodedSamples:
    """Decode ``samples`` of the QUBO written to ``path`` (by ``qportfolio encode --out`` or :func:`save`):
    portfolios, feasibility and objectives, with nothing but the file."""
    return load(path).decode(samples)
