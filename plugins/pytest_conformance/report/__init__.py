"""Reporting: results per area, failures as data, node ids, and the JSON, HTML and SARIF files."""
