"""`referbee report`: the KPIs from the admin API (kpis.py: JSON and CSV), as tables for
people (table.py), with the funnel drawn in the terminal (terminal.py, plotext) or into a
chart file (chart.py, matplotlib, an optional extra)."""
