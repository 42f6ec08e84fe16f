"""`negoprep serve`: the local web app for consultants (cases, live preparation, report, rehearsal)."""
