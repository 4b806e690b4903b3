"""Citation-backed assistant for 人社厅发〔2026〕1号 (职业技能证书互通互认).

    from assistant import Assistant
    a = Assistant.load()
    conv = a.conversation(mode="worker")
    reply = conv.ask("安监局发的电工证去工地还要培训吗?")
"""
from .config import Settings
from .core import Assistant, IndexUnavailable, RetrievalUnavailable

__all__ = ["Assistant", "IndexUnavailable", "RetrievalUnavailable", "Settings"]
