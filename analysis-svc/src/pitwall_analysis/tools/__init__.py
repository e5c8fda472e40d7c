"""Pitwall's read operations as tools: validated inputs, compact JSON answers, links."""
