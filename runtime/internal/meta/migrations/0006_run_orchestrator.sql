-- Which orchestrator ran a run: '' for the local scheduler, whose process
-- the liveness rules watch; otherwise where the run lives (temporal://HOST:PORT/NAMESPACE),
-- whose workers may be anywhere and whose submitting process may be gone.
ALTER TABLE runs ADD COLUMN orchestrator TEXT NOT NULL DEFAULT '';
