"""Pages made from session logs: one session's report, the history of many, a cohort's overview."""
