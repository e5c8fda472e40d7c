"""The scripted OpenAI-compatible server lives in ``pitwall_shared.testing_model`` so that
report-svc's tests can drive analysis-svc's model path too."""

from pitwall_shared.testing_model import Reply, ScriptedModelServer, answer, completion

__all__ = ["Reply", "ScriptedModelServer", "answer", "completion"]
