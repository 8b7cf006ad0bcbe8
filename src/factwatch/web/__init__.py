"""The newsroom web app: review queue, verdicts, publishing, dashboards (``factwatch serve``)."""
