"""Code shared by every Pitwall service. Never imports a service package."""
