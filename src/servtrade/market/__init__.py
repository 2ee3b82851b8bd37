"""The fair and marketplace: participants, offers and needs, matchmaking, meetings, KPIs."""
