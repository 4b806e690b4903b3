"""The reply to one turn, as typed data. Renderers (assistant/render.py) turn it into
CLI text, JSON, the app's view, a Markdown export or a helpline script.

`lead` answers the question the way it was asked, `polarity` says which way
("yes": what was asked to skip is waived; "no": it is not; "partial": only part is),
`body` is the rest of the answer per audience, in plain text (no Markdown), and
`step` names the answer step that decided (assistant/steps.py).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

VERDICTS = ("answered", "not_covered", "clarify", "out_of_scope")
TONES = {"answered": "green", "not_covered": "orange", "clarify": "blue", "out_of_scope": "gray"}


@dataclass
class Reply:
    verdict: str
    step: str
    lead: str
    body: dict                               # {"worker": str, "helpline": str}
    citations: list = field(default_factory=list)
    polarity: str = ""                       # "yes" | "no" | "partial" | ""
    badge: str = ""
    tone: str = ""                           # badge colour: green / orange / blue / gray
    options: list = field(default_factory=list)
    pending: dict | None = None              # {"slot", "choices", "kind"} when we asked a question
    rule: dict = field(default_factory=dict)
    rule_articles: list = field(default_factory=list)
    nearest: bool = False                    # the citations are the nearest clauses, not an answer
    retrieved: list = field(default_factory=list)
    disagreement: dict | None = None
    injection_suspected: bool = False
    error: str | None = None
    llm: dict | None = None
    mode: str = "worker"
    latency_ms: float = 0.0

    def __post_init__(self):
        assert self.verdict in VERDICTS, self.verdict
        self.tone = self.tone or TONES[self.verdict]

    def text(self, mode: str) -> str:
        """The whole answer for one audience: the lead, then the body."""
        body = self.body.get(mode, "")
        if mode == "helpline":
            return f"您好。{self.lead}\n\n{body}".strip()
        return f"{self.lead}\n\n{body}".strip() if self.lead else body

    @property
    def answer(self) -> str:
        return self.text(self.mode)

    @property
    def script(self) -> str:
        return self.text("helpline")

    @classmethod
    def from_dict(cls, d: dict) -> "Reply":
        """A reply read back from storage (the inverse of to_dict)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})

    def to_dict(self) -> dict:
        """The reply as other tools receive it (CLI --json, batch, eval)."""
        d = {k: v for k, v in asdict(self).items() if v is not None}   # "error" only when there is one
        d["answer"], d["script"] = self.answer, self.script
        return d
