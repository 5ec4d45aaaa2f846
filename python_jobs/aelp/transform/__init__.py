"""The dbt side of the pipeline as the Python jobs see it: running dbt, planning its cost."""
