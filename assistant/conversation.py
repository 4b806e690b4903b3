"""One conversation: what is known so far, and the verdict for each new turn.

Flow of a turn: question -> normalise -> entities -> merge with what the
conversation already knows (held / wanted certificate, pending clarification)
-> the rule decides (recognition, level, not provided for) -> retrieval
cross-checks which item it found -> citations verified verbatim -> wording for
the mode. Questions the rules do not model (一试多证, where to check a
certificate, …) are answered from retrieval alone, quoting the best sentences.
The CLI, the batch command and the Streamlit app all drive this same object.
"""
from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass

from .entities import Entities, extract
from .normalize import normalize

log = logging.getLogger("assistant.conversation")

MAX_QUESTION = 2000
OVERVIEW = re.compile(r"(哪些|什么规定|怎么规定|政策|内容|有什么|有啥|都能|可以免什么|能免什么|免哪些|怎么互认|互认)")
NOT_STATED_TOPICS = {"fee": "费用或收费标准", "deadline": "办理期限或开始时间", "materials": "需要提交的材料或办理手续",
                     "job": "就业、上岗或待遇方面的事项"}
# Retrieval alone is trusted only above these. Measured on tests/data/retrieval_dev.jsonl:
# on-topic questions reach cosine >= 0.40 or BM25 >= 4 at their best item; off-topic
# ones ("今天天气", "写个爬虫抓人社部网站") stayed below 0.34 and 3.
DENSE_CONFIDENT = 0.40
BM25_CONFIDENT = 4.0
HOLDS_SOME = re.compile(r"(有|持有|拿了|考了|取得了?)[^,。?!]{0,4}证")
WHERE = re.compile(r"(哪里|哪儿|哪个机构|哪个部门|去哪|在哪|谁来|向谁|什么机构|什么网站)")


@dataclass
class State:
    held: frozenset | None = None
    target: frozenset | None = None
    pending: dict | None = None       # {"slot": "held"|"target", "choices": [cert ids]}
    last_kind: str = ""               # "level" after a level answer: a bare follow-up asks the same


class Conversation:
    def __init__(self, assistant, mode: str = "worker", llm=None):
        self.a = assistant
        self.llm = llm if llm is not None else assistant.llm
        self.mode = mode if mode in ("worker", "helpline") else "worker"
        self.state = State()
        self.history: list[dict] = []

    # -- public -------------------------------------------------------------
    def ask(self, question) -> dict:
        started = time.perf_counter()
        try:
            reply = self._answer(question if isinstance(question, str) else str(question))
            if self.llm is not None and not reply.get("error"):
                from .llm import reword
                reply = reword(self.llm, str(question), reply, self.mode, self.a.system_prompt, self.a.citer)
        except Exception:  # never a traceback to a worker; the log keeps it
            log.exception("answer failed")
            reply = self._reply("clarify", {"worker": "抱歉,系统出了点问题,这个问题暂时答不了。请换个说法再问一次,或拨打12333。",
                                            "helpline": "系统暂时无法答复该问题,请稍后重试或按常规口径答复。"},
                                error="internal")
        reply["mode"] = self.mode
        reply["answer"] = reply["answers"][self.mode]
        reply["script"] = reply["answers"]["helpline"]
        reply["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        self.history.append({"question": question, "reply": reply, "time": time.strftime("%Y-%m-%dT%H:%M:%S")})
        return reply

    def reset(self) -> None:
        self.state = State()
        self.history = []

    def to_markdown(self) -> str:
        meta = self.a.metadata()
        lines = ["# 证书互通互认咨询记录", "",
                 f"依据:《{meta['title']}》({meta['doc_number']},发布时间 {meta['published']},{meta['status']})", ""]
        for i, turn in enumerate(self.history, 1):
            r = turn["reply"]
            lines += [f"## {i}. 问:{_md_escape(str(turn['question']))}", "", f"**结论:{r['badge']}**", "", r["answer"], ""]
            for c in r["citations"]:
                lines.append(f"> {c['label']}({c['doc']},{c['date']}):“{c['quote']}”" + (f" ({c['note']})" if c.get("note") else ""))
            lines.append("")
        return "\n".join(lines)

    # -- the turn -----------------------------------------------------------
    def _answer(self, question: str) -> dict:
        stripped = question.strip()
        if not stripped:
            return self._reply("clarify", _both("问题是空的。请输入你的证书问题,例如:“我有低压电工证,想考建筑电工证,还要培训吗?”"),
                               error="empty")
        if len(stripped) > MAX_QUESTION:
            return self._reply("clarify", _both(f"问题太长了({len(stripped)}字)。请把问题缩短到{MAX_QUESTION}字以内,"
                                                "说清楚你持有什么证、想申请什么证。"), error="too_long")
        if not any(_is_word_char(ch) for ch in stripped):
            # "？？？" or ".:." has nothing to retrieve on; any match would be noise scored as a hit.
            return self._reply("clarify", _both("没有看到问题的文字。请用文字写出你的证书问题,例如:"
                                                "“我有低压电工证,想考建筑电工证,还要培训吗?”"), error="no_words")
        text = normalize(stripped, self.a.aliases)
        e = extract(text, self.a.catalog)
        # A question about certificates or levels is answered from the certificate notice only.
        about_certs = bool(e.mentions or e.level)
        retrieved = self._retrieve(text, self.a.rules.doc if about_certs else None)
        reply = self._decide(e, text, retrieved)
        self.state.last_kind = "level" if "level" in reply.get("rule", {}) else reply["verdict"]
        reply["retrieved"] = [h.doc.metadata["article"] for h in retrieved]
        rule_articles = reply.get("rule_articles", [])
        if rule_articles and retrieved and not set(rule_articles) & set(reply["retrieved"]):
            reply["disagreement"] = {"rule": rule_articles, "retrieved": reply["retrieved"]}
            self.a.log_event({"event": "rule_retrieval_disagreement", **reply["disagreement"]})
        if e.injection:
            reply["injection_suspected"] = True
        return reply

    def _retrieve(self, text: str, doc_number: str | None):
        try:
            return self.a.retrieve(text, doc_number=doc_number)
        except Exception as exc:  # the rules still answer; retrieval is the cross-check
            log.warning("retrieval failed: %s", exc)
            return []

    def _decide(self, e: Entities, text: str, retrieved) -> dict:
        held, target, trade = self._slots(e)
        cert_doc = self.a.rules.doc

        named = bool(held or target or e.others)
        specific = any(m.kind == "cert" for m in e.mentions)
        if e.injection and (e.fabricate or not (e.injection_separated or specific or e.others)):
            # The instruction could not be told apart from a question about a named certificate.
            return self._reply("out_of_scope", self.a.wording.render("injection"), kind="out_of_scope")
        other_roles = {m.role for m in e.others}
        if e.others and ("target" in other_roles or ("held" in other_roles and not specific)):
            # "我有叉车证,想考电工证" / "低压电工证能换电梯证吗": one side is outside the notice.
            return self._not_covered_other(e.others[0].text, level=e.level)
        if (e.fabricate or e.off_topic_task or e.unrelated) and not named:
            return self._reply("out_of_scope", self.a.wording.render("out_of_scope"), kind="out_of_scope")
        if e.metadata and not specific:
            return self._metadata(e)
        topic = self.a.topic_for(text)
        if topic and not specific:
            return self._topic(topic, names_certificate=any(m.kind == "generic" for m in e.mentions))
        if target is not None and not target and e.others:
            return self._not_covered_other(e.others[0].text)

        if e.level and held and not self._turn_names_target(e):
            return self._level(e, held)
        if held and target:
            return self._recognition(e, held, target)
        if topic and not self._turn_names_target(e):
            return self._topic(topic, names_certificate=bool(held or any(m.kind == "generic" for m in e.mentions)))
        if held:
            return self._held_only(e, held, text)
        if target:
            return self._target_only(e, target)
        if (unstated := self._unstated(e)) and e.domain:
            return self._not_stated(unstated, [])
        asks_exemption = bool(re.search(r"(免|培训|考试|考核)", text)) or "exempt_all" in e.flags
        if (e.level and e.level_ask and not WHERE.search(text)) or (
                e.domain and asks_exemption and (HOLDS_SOME.search(text) or not retrieved_is_confident(retrieved))):
            ids = self.a.catalog.by_trade_and_department(trade, None) if trade else frozenset(self.a.catalog.certs)
            return self._clarify("held", self._ordered(ids), "你现在持有的是哪一个证书?")
        if e.greeting:
            return self._reply("out_of_scope", self.a.wording.render("greeting"), kind="out_of_scope")
        if not e.domain and not retrieved_is_confident(retrieved):
            return self._reply("out_of_scope", self.a.wording.render("out_of_scope"), kind="out_of_scope")
        return self._from_retrieval(retrieved, cert_doc)

    def _unstated(self, e: Entities) -> str | None:
        """What the question asks that the notice never states (a fee, a deadline, …), if anything."""
        return next((topic for flag, topic in NOT_STATED_TOPICS.items() if flag in e.flags), None)

    def _turn_names_target(self, e: Entities) -> bool:
        return any(m.kind in ("cert", "dept") for m in e.role("target"))

    def _ordered(self, ids) -> list[str]:
        order = list(self.a.catalog.certs)
        return sorted(ids, key=order.index)

    # -- slots ----------------------------------------------------------------
    def _slots(self, e: Entities):
        """Merge this turn's mentions into what the conversation knows."""
        st = self.state
        cat = self.a.catalog
        trades = {m.trade for m in e.mentions if m.trade} or {cat.certs[i].trade for s in (st.held, st.target) if s for i in s}
        trade = next(iter(trades)) if len(trades) == 1 else None

        def ids_of(m) -> frozenset:
            if m.kind in ("cert", "generic"):
                return m.ids if m.ids else cat.by_trade_and_department(m.trade, m.department)
            if m.kind in ("dept", "site"):
                return cat.by_trade_and_department(trade, m.department) if trade else frozenset()
            return frozenset()

        mentions = [m for m in e.mentions if m.kind in ("cert", "generic", "dept", "site")]
        if e.level:
            # In "高压电工证能报电工高级工吗" the second 电工 names the occupation, not a certificate.
            known = st.held or any(m.kind == "cert" for m in mentions)
            mentions = [m for m in mentions if not (m.kind == "generic" and not m.department
                                                    and (m.role == "target" or known))]
            e.mentions = [m for m in e.mentions if m in mentions or m.kind not in ("cert", "generic", "dept", "site")]
            # In a level question every certificate not explicitly wanted is one the worker holds
            # ("我有低压电工和建筑电工两个证,能算几级").
            for m in mentions:
                if not m.marked:
                    m.role = "held"
        held_m = [m for m in mentions if m.role == "held"]
        target_m = [m for m in mentions if m.role == "target"]

        # A picked option or a bare answer to our question fills the slot we asked about.
        if st.pending and (e.pick or (len(mentions) == 1 and not mentions[0].marked) or
                           (len(mentions) == 1 and mentions[0].kind in ("dept", "site"))):
            slot, choices = st.pending["slot"], st.pending["choices"]
            if e.pick and 1 <= e.pick <= len(choices):
                chosen = frozenset([choices[e.pick - 1]])
            elif mentions:
                chosen = (ids_of(mentions[0]) & frozenset(choices)) or ids_of(mentions[0])
            else:
                chosen = None
            if chosen is not None:
                st.pending = None
                setattr(st, slot, chosen)
                return st.held, st.target, trade
        if e.reverse and not mentions and st.held and st.target:
            st.held, st.target = st.target, st.held
            return st.held, st.target, trade
        # A lone unmarked certificate in a follow-up ("那高压电工呢?", "换成高压的呢") replaces the slot it resembles.
        if (len(mentions) == 1 and (not mentions[0].marked or e.substitute) and mentions[0].kind in ("cert", "generic")
                and st.held and st.target):
            new = ids_of(mentions[0])
            same_dept_as_target = {cat.certs[i].department for i in new} <= {cat.certs[i].department for i in st.target}
            same_dept_as_held = {cat.certs[i].department for i in new} <= {cat.certs[i].department for i in st.held}
            if same_dept_as_target and not same_dept_as_held:
                st.target = new
            else:
                st.held = new
            st.pending = None
            return st.held, st.target, trade
        if (len(mentions) == 1 and not mentions[0].marked and st.held and not st.target
                and st.last_kind == "level" and e.follow_up):
            st.held = ids_of(mentions[0])
            e.level = True
            return st.held, st.target, trade
        if len(mentions) == 1 and not mentions[0].marked and st.held and not st.target and not e.level:
            new = ids_of(mentions[0])
            if {cat.certs[i].department for i in new} & {cat.certs[i].department for i in st.held}:
                st.held = new
            else:
                st.target = new
            return st.held, st.target, trade

        def drop_redundant(ms):
            specific = {m.trade for m in ms if m.kind == "cert"}
            return [m for m in ms if not (m.kind in ("generic", "dept", "site") and m.trade in specific | {None}
                                          and specific)]
        held_m, target_m = drop_redundant(held_m), drop_redundant(target_m)
        if mentions:
            st.pending = None
            new_held = frozenset().union(*(ids_of(m) for m in held_m)) if held_m else None
            new_target = frozenset().union(*(ids_of(m) for m in target_m)) if target_m else None
            if new_held is not None and new_target is not None:
                st.held, st.target = new_held, new_target
            elif new_held is not None:
                st.held = new_held
                if e.level or (st.target and new_held & st.target):
                    st.target = None
            elif new_target is not None:
                st.target = new_target
            if e.others and not held_m:
                st.held = st.held if target_m else None
        elif e.others:
            # Only a certificate outside the notice: forget the old pair.
            st.held = st.target = None
        elif not (e.flags or e.level or st.pending or e.follow_up):
            # A new general question: earlier certificates do not carry over.
            return None, None, trade
        return st.held, st.target, trade

    # -- decisions ------------------------------------------------------------
    def _recognition(self, e: Entities, held: frozenset, target: frozenset) -> dict:
        rules, cat = self.a.rules, self.a.catalog
        if held == target and len(held) == 1:
            h = cat.certs[next(iter(held))]
            return self._not_covered_pair(h.id, h.id)
        outcomes = {}
        for h in self._ordered(held):
            for t in self._ordered(target):
                if h == t:
                    continue
                p = rules.recognition_for(h, t)
                outcomes[(h, t)] = (p.waived, p.then, p.condition) if p else None
        if not outcomes:
            return self._clarify("target", self._ordered(target), "你想申请的是哪一个证书?")
        if len(set(outcomes.values())) > 1:
            # The answer depends on which certificate is meant: ask, offering only the ones that matter.
            slot = "held" if len(held) > 1 else "target"
            choices = self._ordered(held if slot == "held" else target)
            q = "你持有的是哪一个证书?" if slot == "held" else "你想申请的是哪一个证书?"
            return self._clarify(slot, choices, q)
        (h0, t0), outcome = next(iter(outcomes.items()))
        if outcome is None:
            return self._not_covered_pair(h0, t0, held=held, target=target)
        paths = [rules.recognition_for(h, t) for (h, t) in outcomes]
        p = paths[0]
        if "expired" in e.flags:
            return self._expired(p)
        if "region_no" in e.flags and p.condition:
            c = self._cite_path(p)
            return self._reply("not_covered", self.a.wording.render("region_no", label=self._label(p.article)),
                               citations=[c], rule={"paths": [x.number for x in paths], "condition_failed": True},
                               rule_articles=[p.article])
        if topic := self._unstated(e):
            return self._not_stated(topic, [p])
        return self._recognition_answer(paths, exempt_all="exempt_all" in e.flags)

    def _recognition_answer(self, paths, exempt_all: bool = False) -> dict:
        cat, p = self.a.catalog, paths[0]
        h, t = cat.certs[p.held], cat.certs[p.target]
        fields = dict(held_department=h.department, held_name=h.name, held_short=h.short,
                      target_department=t.department, target_name=t.name, target_short=t.short,
                      waived=p.waived, then=p.then, label=self._label(p.article),
                      condition=f"(注意:{p.condition}。)" if p.condition else "",
                      annex=self._annex_note(p))
        fields["headline"] = ("**不能完全免考,但可以免一部分。** " if exempt_all else "**可以。** ")
        if len(paths) > 1:
            fields["held_list"] = "、".join(cat.certs[h].short for h in self._ordered({x.held for x in paths}))
            texts = self.a.wording.render("recognition_ambiguous_same", **fields)
        else:
            texts = self.a.wording.render("recognition", **fields)
        citations = _unique([self._cite_path(x) for x in paths])
        return self._reply("answered", texts, citations=citations, kind="recognition",
                           rule={"paths": [x.number for x in paths], "derived": p.derived},
                           rule_articles=[p.article])

    def _not_covered_pair(self, held_id: str, target_id: str, held: frozenset | None = None,
                          target: frozenset | None = None) -> dict:
        cat, rules = self.a.catalog, self.a.rules
        held, target = held or frozenset([held_id]), target or frozenset([target_id])
        h, t = cat.certs[held_id], cat.certs[target_id]
        nearby = _unique_paths([p for i in self._ordered(held) for p in rules.paths_from(i)]
                               + [p for i in self._ordered(target) for p in rules.paths_to(i)])
        if len(held) > 1:
            names = "或".join(cat.certs[i].short for i in self._ordered(held))
            h = type(h)(h.id, names, names, h.department, h.trade)
        if len(target) > 1:
            names = "或".join(cat.certs[i].short for i in self._ordered(target))
            depts = "或".join(dict.fromkeys(cat.certs[i].department for i in self._ordered(target)))
            t = type(t)(t.id, names, names, depts, t.trade)
        lines = "\n".join(f"- {self._path_line(p)}" for p in nearby) or "- 无"
        articles = sorted({p.article for p in nearby}) or ["一(一)" if t.trade == "电工" else "一(二)"]
        texts = self.a.wording.render("not_covered_pair", held_name=h.name, target_name=t.name,
                                      target_department=t.department, nearby=lines,
                                      label="、".join(self._label(a) for a in articles))
        citations = _unique([self._cite_path(p) for p in nearby])
        return self._reply("not_covered", texts, citations=citations, rule={"paths": [], "nearby": [p.number for p in nearby]},
                           rule_articles=articles)

    def _expired(self, p) -> dict:
        c = self._cite_path(p)
        texts = self.a.wording.render("expired", rule=f"“{p.quote}”" if c else "", label=self._label(p.article))
        return self._reply("not_covered", texts, citations=[c], rule={"paths": [p.number], "condition_failed": "合法有效"},
                           rule_articles=[p.article])

    def _not_stated(self, topic: str, paths) -> dict:
        known = ""
        if paths:
            known = "\n\n通知规定的是:\n" + "\n".join(f"- {self._path_line(p)}" for p in paths)
        articles = sorted({p.article for p in paths})
        texts = self.a.wording.render("not_stated", topic=topic, known=known,
                                      label="、".join(self._label(a) for a in articles) or "")
        return self._reply("not_covered", texts, citations=[self._cite_path(p) for p in paths],
                           rule={"not_stated": topic}, rule_articles=articles)

    def _level(self, e: Entities, held: frozenset) -> dict:
        rules, cat = self.a.rules, self.a.catalog
        levels = {h: rules.level_for(h) for h in held}
        if len({(lv.equivalent if lv else None) for lv in levels.values()}) > 1:
            return self._clarify("held", self._ordered(held), "你持有的是哪一个证书?(不同证书视同的等级不同)")
        h_id, lv = next(iter(levels.items()))
        names = "、".join(cat.certs[i].short for i in self._ordered(held)) if len(held) > 1 else cat.certs[h_id].name
        citation = self.a.citer.cite(rules.doc, lv.article, lv.quote, derived=False)
        asked = e.level_rank
        too_high = asked is not None and (
            (e.level_equivalent and asked > lv.rank) or (not e.level_equivalent and asked > lv.rank + 1))
        departments = "、".join(dict.fromkeys(cat.certs[i].department for i in self._ordered(held)))
        fields = dict(held_department=departments, held_name=names, equivalent=lv.equivalent,
                      may_apply_for=lv.may_apply_for, occupation=lv.occupation, label=self._label(lv.article),
                      asked=rules.rank_names.get(asked, ""))
        if "expired" in e.flags:
            texts = self.a.wording.render("expired", rule=f"“{lv.quote}”", label=self._label(lv.article))
            return self._reply("not_covered", texts, citations=[citation], rule={"level": h_id, "condition_failed": "合法有效"},
                               rule_articles=[lv.article])
        if too_high:
            return self._reply("not_covered", self.a.wording.render("level_too_high", **fields), citations=[citation],
                               rule={"level": h_id, "asked": asked}, rule_articles=[lv.article])
        if topic := self._unstated(e):
            return self._not_stated(topic, [])
        return self._reply("answered", self.a.wording.render("level", **fields), citations=[citation], kind="level",
                           rule={"level": h_id, "equivalent": lv.equivalent, "may_apply_for": lv.may_apply_for},
                           rule_articles=[lv.article])

    def _held_only(self, e: Entities, held: frozenset, text: str) -> dict:
        rules, cat = self.a.rules, self.a.catalog
        signatures = {h: tuple((p.target, p.waived, p.then) for p in rules.paths_from(h)) for h in held}
        general = bool(OVERVIEW.search(text)) and "我" not in text
        paths = _unique_paths([p for h in self._ordered(held) for p in rules.paths_from(h)])
        if "expired" in e.flags and paths:
            return self._expired(paths[0])
        if len(set(signatures.values())) > 1 and not general:
            return self._clarify("held", self._ordered(held), "你持有的是哪一个证书?")
        if topic := self._unstated(e):
            return self._not_stated(topic, paths)
        lines = [f"- {self._path_line(p)}" for p in paths]
        articles = sorted({p.article for p in paths})
        citations = [self._cite_path(p) for p in paths]
        levels = [rules.level_for(h) for h in self._ordered(held) if rules.level_for(h)]
        for lv in {lv.quote: lv for lv in levels}.values():
            hs = "、".join(cat.certs[x.held].short for x in levels if x.quote == lv.quote)
            lines.append(f"- 技能等级:持{hs},视同达到相应职业(工种){lv.equivalent}水平,可报名参加{lv.may_apply_for}技能等级认定({self._label(lv.article)})")
            citations.append(self.a.citer.cite(rules.doc, lv.article, lv.quote))
            articles.append(lv.article)
        names = "、".join(cat.certs[h].short for h in self._ordered(held))
        texts = self.a.wording.render("overview", held_name=names, lines="\n".join(lines),
                                      labels="、".join(self._label(a) for a in articles))
        return self._reply("answered", texts, citations=_unique(citations), kind="recognition",
                           rule={"paths": [p.number for p in paths]}, rule_articles=articles)

    def _target_only(self, e: Entities, target: frozenset) -> dict:
        rules, cat = self.a.rules, self.a.catalog
        paths = _unique_paths([p for t in self._ordered(target) for p in rules.paths_to(t)])
        if topic := self._unstated(e):
            return self._not_stated(topic, paths)
        if not paths:
            t = cat.certs[self._ordered(target)[0]]
            allp = rules.paths
            texts = self.a.wording.render("no_paths_into", target_name=t.name,
                                          nearby="\n".join(f"- {self._path_line(p)}" for p in allp))
            return self._reply("not_covered", texts, citations=_unique([self._cite_path(p) for p in allp]),
                               rule={"paths": []}, rule_articles=sorted({p.article for p in allp}))
        if len(target) > 1 and len({cat.certs[t].department for t in target}) > 1:
            return self._clarify("target", self._ordered(target), "你想申请的是哪一个证书?")
        holders = self._ordered({p.held for p in paths})
        return self._clarify("held", holders, "你现在持有哪个证书?以下证书持有人申请时可以免予部分培训或考试:",
                             paths=paths)

    def _clarify(self, slot: str, choices, question: str, paths=None) -> dict:
        cat = self.a.catalog
        choices = list(choices)
        self.state.pending = {"slot": slot, "choices": choices}
        options = [f"{cat.certs[c].department}的{cat.certs[c].short}" for c in choices]
        listing = "\n".join(f"{i}. {o}" for i, o in enumerate(options, 1))
        texts = self.a.wording.render("clarify", question=question, choices=listing)
        citations = _unique([self._cite_path(p) for p in paths]) if paths else []
        return self._reply("clarify", texts, citations=citations, options=options,
                           rule={"pending": slot, "choices": choices})

    def _not_covered_other(self, other: str, level: bool = False) -> dict:
        texts = self.a.wording.render("not_covered_other", other=other)
        self.state.held = self.state.target = None
        citations, articles = [], ["一(一)", "一(二)"]
        if level:   # which certificates the level rule does name
            quotes = dict.fromkeys(lv.quote for lv in self.a.rules.levels.values())
            citations = [self.a.citer.cite(self.a.rules.doc, "二(一)", q) for q in quotes]
            articles = ["二(一)"]
        return self._reply("not_covered", texts, citations=citations, rule={"other_certificate": other},
                           rule_articles=articles)

    def _metadata(self, e: Entities) -> dict:
        meta = self.a.metadata()
        doc = meta["doc_number"]
        parts, citations = [], []
        for what in e.metadata:
            if what == "doc_number":
                parts.append(f"这份通知的文号是**{doc}**。")
                citations.append(self.a.citer.cite(doc, "文号", self.a.node_text(doc, "文号")))
            elif what == "issuers":
                parts.append(f"通知由{'、'.join(meta['issuers'])}联合印发。")
                citations.append(self.a.citer.cite(doc, "落款", self.a.node_text(doc, "落款")))
            elif what == "date":
                parts.append(f"通知的发布时间是{_cn_date(meta['published'])}({meta['published']};"
                             f"落款日期{_cn_date(meta['signature_date'])})。")
                citations.append(self.a.citer.cite(doc, "文号", self.a.node_text(doc, "文号")))
            elif what == "status":
                parts.append(f"据收录网页标注,该通知的效力状态为“{meta['status']}”(发布时间{_cn_date(meta['published'])})。")
            elif what == "scope":
                q = "现就推进职业技能证书(含技能人员职业资格证书、职业技能等级证书)互通互认事项通知如下。"
                sentence = next((s for s in self.a.sentences(doc, "引言") if q in s), "")
                parts.append("通知所说的职业技能证书,含技能人员职业资格证书和职业技能等级证书。")
                citations.append(self.a.citer.cite(doc, "引言", sentence))
            elif what == "title":
                parts.append(f"通知全称是《{meta['title']}》({doc})。")
                citations.append(self.a.citer.cite(doc, "标题", self.a.node_text(doc, "标题")))
            elif what == "purpose":
                sentence = self.a.sentences(doc, "引言")[0]
                parts.append("通知开头说明了目的:减轻劳动者技能评价取证负担,提升技能评价服务效能。")
                citations.append(self.a.citer.cite(doc, "引言", sentence))
            elif what == "annex":
                parts.append("收录网页没有附件原文(只有“附件下载”链接)。正文提到:第一条第(一)项对应附件序号1—3(电工),"
                             "第一条第(二)项对应序号4—7(焊工),第二条第(一)项对应序号1—7。本系统据正文推定这7条互认路径,不是附件原表。")
                for art in ("一(一)", "一(二)"):
                    ref = next((s for s in self.a.sentences(doc, art) if s.startswith("参见附件")), "")
                    citations.append(self.a.citer.cite(doc, art, ref, derived=True,
                                                       note="网页抓取丢失了连接号:“序号13”即序号1—3,“序号47”即序号4—7"))
        text = "".join(parts)
        texts = self.a.wording.render("metadata", text=text)
        return self._reply("answered", texts, citations=_unique(citations), kind="answered", rule={"metadata": e.metadata})

    def _topic(self, topic: dict, names_certificate: bool = False) -> dict:
        doc, article = self.a.rules.doc, topic["article"]
        quote = next((s for s in self.a.sentences(doc, article) if topic["anchor"] in s), "")
        label = self._label(article)
        verdict = topic.get("with_certificate", "answered") if names_certificate else "answered"
        texts = self.a.wording.render("retrieved" if verdict == "answered" else "retrieved_weak", label=label, quote=quote)
        return self._reply(verdict, texts, citations=[self.a.citer.cite(doc, article, quote)], kind="answered",
                           rule={"topic": topic["id"]}, rule_articles=[article])

    def _from_retrieval(self, retrieved, cert_doc: str) -> dict:
        if not retrieved:
            return self._reply("not_covered", _both("通知没有直接规定这个问题。如需确认,请拨打12333。"))
        top = retrieved[0]
        m = top.doc.metadata
        quote = self.a.best_quote(top)
        citation = self.a.citer.cite(m["doc_number"], m["article"], quote)
        label = self._label(m["article"], m["doc_number"])
        confident = retrieved_is_confident(retrieved)
        texts = self.a.wording.render("retrieved" if confident else "retrieved_weak", label=label, quote=quote)
        return self._reply("answered" if confident else "not_covered", texts, citations=[citation],
                           kind="answered", rule={"retrieval": {"dense": top.dense, "bm25": top.bm25}})

    # -- helpers --------------------------------------------------------------
    def _cite_path(self, p):
        note = p.note if p.derived else ""
        return self.a.citer.cite(self.a.rules.doc, p.article, p.quote, derived=p.derived, note=note)

    def _path_line(self, p) -> str:
        cat = self.a.catalog
        h, t = cat.certs[p.held], cat.certs[p.target]
        cond = f"({p.condition})" if p.condition else ""
        return f"持{h.department}的{h.short},申请{t.department}的{t.short}:{p.waived},{p.then}{cond}({self._label(p.article)})"

    def _label(self, article: str, doc: str | None = None) -> str:
        return self.a.citer.labels.get((doc or self.a.rules.doc, article), article)

    def _annex_note(self, p) -> str:
        if p.derived:
            return f"(对应附件序号{p.annex_rows}之一;附件原表未收录,此条由正文推定。)"
        return f"(附件序号{p.annex_rows}。)"

    def _reply(self, verdict: str, texts: dict, citations=None, kind: str = "", options=None, rule=None,
               rule_articles=None, error: str | None = None) -> dict:
        citations = [c for c in (citations or []) if c]
        reply = {"verdict": verdict, "badge": self.a.wording.badge(verdict, kind if verdict == "answered" else ""),
                 "answers": texts, "citations": citations, "options": options or [], "rule": rule or {},
                 "rule_articles": rule_articles or []}
        if error:
            reply["error"] = error
        return reply


def retrieved_is_confident(retrieved) -> bool:
    return bool(retrieved) and ((retrieved[0].dense or 0) >= DENSE_CONFIDENT or (retrieved[0].bm25 or 0) >= BM25_CONFIDENT)


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _both(text: str) -> dict:
    return {"worker": text, "helpline": text}


def _unique(citations):
    seen, out = set(), []
    for c in citations:
        if c and (c["doc"], c["article"], c["quote"]) not in seen:
            seen.add((c["doc"], c["article"], c["quote"]))
            out.append(c)
    return out


def _unique_paths(paths):
    seen, out = set(), []
    for p in paths:
        if p.number not in seen:
            seen.add(p.number)
            out.append(p)
    return out


def _cn_date(iso: str) -> str:
    if not iso:
        return "(未载明)"
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)
