"""Framework analyzers (plugins registered under the ``backendscan.analyzers`` entry-point group)."""
