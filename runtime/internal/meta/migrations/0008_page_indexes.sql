-- The runs page of every pipeline reads the newest runs first, and a page
-- after another starts below its last run: without an index on the order
-- it sorted every run of the store for each page.
CREATE INDEX runs_by_start ON runs (started_at, id);

-- explain compares a step run with the newest keyed run of the same step
-- before it (PreviousKeyed): without (pipeline, step, id) it read every run
-- of the step and sorted them, ~30 ms a step on a store of 10,000 runs.
CREATE INDEX step_runs_by_step_id ON step_runs (pipeline, step, id);
