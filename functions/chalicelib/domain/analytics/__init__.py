"""Numbers: stats pages, the leaderboard, program rollups, KPIs, reports and exports."""
