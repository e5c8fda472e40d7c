from pitwall_analysis.models import Base
from pitwall_shared.migrations import run_env

run_env(Base.metadata)
