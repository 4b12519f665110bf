"""``qportfolio serve``: the solve API as a local HTTP service (FastAPI on uvicorn).

``POST /api/v2/solve`` takes an allocation model (either shape :mod:`qportfolio.lp.model` reads)
and answers the hosted API's fields (``objective_value``, ``variables``) plus status, shadow prices
and slacks; ``POST /api/v2/portfolio`` solves a core problem with a registered solver; long solves
go through ``/api/v2/jobs``, persisted in SQLite. Solves run in a bounded pool of worker processes
with a watchdog (:mod:`.pool`), so a hung or crashing solve costs one request, not the server.
Modules: :mod:`.config` (settings, tokens), :mod:`.tasks` (what a worker runs), :mod:`.pool`,
:mod:`.jobs` (the job store), :mod:`.app` (the routes), :mod:`.cli` (the command).
"""
