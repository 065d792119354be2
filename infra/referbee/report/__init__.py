"""`referbee report`: a program's KPIs from the admin API (kpis.py), and the funnel chart
(chart.py) drawn as SVG or as PNG by a small canvas of its own (png.py)."""
