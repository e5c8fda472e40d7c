"""Pydantic contracts exchanged between services and with clients (no ORM models here)."""
