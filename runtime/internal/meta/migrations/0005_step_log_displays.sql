-- A step's displays (rich output of the notebook's display calls) are
-- artifacts among its outputs; displays says where each came in the log,
-- as a JSON array of {"name", "log", "stdout"} byte offsets into text and
-- stdout, in the order displayed. NULL when the step displayed nothing.
ALTER TABLE step_logs ADD COLUMN displays TEXT;
