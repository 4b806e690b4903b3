"""Rule results -> Replies: the pieces the answer steps (steps.py) build their replies with.

A Kit wraps the loaded assistant (rules, catalogue, citer, wording) for one turn's
steps. It decides nothing about which step answers; it only turns a rule result into a
Reply with a lead that answers the question as asked, a body per audience, and
verified citations.
"""
from __future__ import annotations

import re

from .reply import Reply

ASKED_NAMES = {"training": "培训", "theory": "理论考试", "practical": "实操考试", "fire_exam": "动火作业安全管理考试",
               "exam": "考试", "all": "全部培训和考试", "use_as": "直接当作要申请的证使用", "others": "其他考试"}
STATUS_LEAD = {"expired": "status_expired", "other_person": "status_other_person"}
WAIVABLE = frozenset({"training", "theory", "practical", "fire_exam", "exam", "all", "others"})


# Asked when the held certificate is named by its department only (a recognition or a level question alike).
DEPARTMENT_ONLY_QUESTION = "你持有的是哪一个证书?(这个部门发的证书很多,通知只涉及下面这些)"


class Kit:
    def __init__(self, assistant):
        a = assistant
        self.a, self.rules, self.catalog, self.citer, self.wording = a, a.rules, a.catalog, a.citer, a.wording
        self.vocab = a.vocab
        self.doc = a.rules.doc

    # -- small helpers -----------------------------------------------------------
    def ordered(self, ids) -> list[str]:
        return self.catalog.ordered(ids)

    def label(self, article: str, doc: str | None = None) -> str:
        return self.citer.labels.get((doc or self.doc, article), article)

    def cite(self, article, quote, derived=False, note="", doc=None):
        return self.citer.cite(doc or self.doc, article, quote, derived=derived, note=note)

    def cite_path(self, p):
        return self.cite(p.article, p.quote, derived=p.derived, note=p.note if p.derived else "")

    def duties_of(self, party: str) -> list[tuple[str, str]]:
        """(item, sentence) for each sentence of the notice in which `party` is told what it 要 do."""
        said = re.compile(re.escape(party) + r"([((]单位[))])?要")
        items = [a for d, a in self.citer.items if d == self.doc and "(" in a]     # in the notice's order
        return [(a, s) for a in items for s in self.a.sentences(self.doc, a) if said.search(s)]

    def cite_longest(self, article: str):
        """The item cited by its longest sentence: where an item stands for what is near a question."""
        return self.cite(article, max(self.a.sentences(self.doc, article), key=len))

    def sentence_with(self, article: str, anchor: str) -> str:
        return next((s for s in self.a.sentences(self.doc, article) if anchor in s), "")

    def level_citations(self) -> list:
        return [self.cite("二(一)", q) for q in dict.fromkeys(lv.quote for lv in self.rules.levels.values())]

    def path_line(self, p) -> str:
        h, t = self.catalog.certs[p.held], self.catalog.certs[p.target]
        cond = f"({p.condition})" if p.condition else ""
        return f"持{h.department}的{h.short},申请{t.department}的{t.short}:{p.waived},{p.then}{cond}({self.label(p.article)})"

    def paths_for(self, sit) -> list:
        held, wanted = sit.held or frozenset(), sit.wanted or frozenset()
        paths = [self.rules.recognition_for(h, t) for h in self.ordered(held) for t in self.ordered(wanted)]
        paths = [p for p in paths if p] or [p for h in self.ordered(held) for p in self.rules.paths_from(h)]
        return _unique_paths(paths or [p for t in self.ordered(wanted) for p in self.rules.paths_to(t)])

    def unstated(self, turn, answered=()) -> str | None:
        """What the question asks that the notice never states (a fee, a deadline, …), if anything; `answered`
        are flags the cited sentence itself answers ("每季度" answers 多久)."""
        return next((topic for flag, topic in self.vocab.not_stated_topics.items()
                     if flag in turn.flags and flag not in answered), None)

    def reply(self, verdict, key, lead_key=None, citations=(), polarity="", badge=None, **fields) -> Reply:
        """A reply from one body template (`key`) and one lead template (`lead_key`, default `key`)."""
        extra = {k: fields.pop(k) for k in ("options", "pending", "rule", "rule_articles", "nearest") if k in fields}
        lead_key = key if lead_key is None else lead_key
        lead = self.wording.lead(lead_key, **fields) if lead_key else ""
        nearest = extra.get("nearest", False)
        badge_key = badge or ("nearest" if nearest and verdict == "not_covered" and citations else verdict)
        return Reply(verdict=verdict, step="", lead=lead, body=self.wording.render(key, **fields),
                     citations=_unique([c for c in citations if c]), polarity=polarity,
                     badge=self.wording.badge(badge_key), **extra)

    # -- recognition ----------------------------------------------------------------
    def recognition(self, turn, sit) -> Reply:
        held, wanted = sit.held, sit.wanted
        held_m = turn.role("held")
        if len(held) > 1 and any(m.why == "misissued" for m in held_m):
            # "我的低压电工证是住建部门发的": a certificate and a department that do not go together; ask, never guess
            return self.clarify("held", self.ordered(held), "你持有的是哪一个证书?(证书名称和发证部门对不上)")
        if held == wanted and len(held) == 1:
            h = next(iter(held))
            return self.not_covered_pair(h, h)
        # ("那质监的考安监的呢" after welders' certificates: the departments' certificates of that trade)
        by_trade_before = sit.followed and turn.elliptical and sit.trade
        if (_named_by_departments_only(turn) and not (sit.inherited or by_trade_before)) or (_held_by_department_only(turn, self.vocab) and not (sit.inherited or sit.followed)):
            # "我有质监局的证,想考应急的证", "我有市场监管局发的操作证,去考熔化焊…": each department issues many
            # certificates the notice never names (电梯、叉车、登高…), and nothing says which one is held: ask.
            # (Answering our own question, "质监局发的,想考熔化焊" after "我有焊工证", is inherited and answered.)
            return self.clarify("held", self.ordered(held), DEPARTMENT_ONLY_QUESTION)
        outcomes = {(h, t): self.rules.recognition_for(h, t) for h in self.ordered(held) for t in self.ordered(wanted)
                    if h != t}
        if not outcomes:
            return self.clarify("wanted", self.ordered(wanted), "你想申请的是哪一个证书?")
        if len(turn.names) > 1 and len(held) > 1 and any(outcomes.values()) and not all(outcomes.values()):
            # "老王有熔化焊证,小李有特种设备焊接证,他俩都想考建筑焊工": each person's own certificate, with its rule or none
            return self.compare_each(outcomes, lead_key="pairs_some", polarity="partial")
        named_each = _holds_each(turn, held) and len(turn.names) < 2
        compared = turn.compare_paths and len(wanted) == 1 and (named_each or sit.compared)
        if compared and not all(outcomes.values()):
            # "持熔化焊接证或者建筑焊工证申请特种设备焊接证是一样的吗": they differ, and one of them has no rule.
            return self.compare_each(outcomes)
        holds_each = named_each or sit.holds_each
        each_for_one = holds_each and len(wanted) == 1
        if each_for_one:
            # "我有低压电工证和熔化焊接证,想考建筑焊工证": the worker holds every one of them, so the
            # certificates with no path to the wanted one simply do not apply.
            outcomes = {k: p for k, p in outcomes.items() if p} or outcomes
        # "有何前提条件" of a pair with a rule: the rule's own conditions (合法有效, the region) answer it
        conditions = ("prerequisite",) if self.vocab.rx("conditions_ask").search(turn.text) else ()
        signatures = {k: (p.waived, p.then, p.condition) if p else None for k, p in outcomes.items()}
        if len(set(signatures.values())) > 1:
            if each_for_one and sit.asks:
                # "我有建筑焊工证跟特种设备焊接证,想考熔化焊,理论能免吗": the one that waives what is asked
                best = next((p for p in outcomes.values() if p and _polarity(sit.asks, p)[0] == "yes"), None)
                if best:
                    return self.recognition_answer([best], turn, sit.asks)
            if sit.inherited and (topic := self.unstated(turn, conditions)) and any(outcomes.values()):
                # "各免什么" answered, then "免的那部分培训费单位能报销吗": a follow-up asks only what is not stated
                return self.not_stated(topic, [p for p in outcomes.values() if p])
            # ... and "熔化焊证考建筑焊工和考特种设备焊工哪个免的多": one held, each wanted one compared
            if compared and sit.asks and sit.own_held:
                # "理论考试能免吗?跟那个质监局焊工证一样吗": the skip asked is answered for the worker's own
                # certificate; the one set beside it follows, to compare
                own = [p for (h, _), p in outcomes.items() if p and h in sit.own_held]
                if own and len(own) < len(outcomes) and all(outcomes.values()):
                    reply = self.recognition_answer(own, turn, sit.asks)
                    for p in (p for (h, _), p in outcomes.items() if h not in sit.own_held):
                        _append(reply, f"对比:{self.path_line(p)}", [self.cite_path(p)], p.article)
                    return reply
            if (compared or holds_each or turn.compare_paths and (len(held) > 1 or len(wanted) > 1)) and all(outcomes.values()):
                return self.each_path(list(outcomes.values()), sit.asks)    # "…是不是一样的 都免培训": each one's answer
            wanted_depts = {self.catalog.certs[t].department for t in wanted}
            # every certificate of one department ("考应急的证"), not a trade's few of them ("应急的电工证")
            by_department = len(wanted_depts) == 1 and (
                wanted == self.catalog.by_trade_and_department(None, next(iter(wanted_depts)))
                or self.vocab.rx("which_certificates").search(turn.text))    # "…去考应急管理局的哪个证"
            if len(held) == 1 and len(wanted) > 1 and by_department and any(outcomes.values()):
                # "我是建筑焊工" to "考应急的证能免培训吗": that department's certificates, each with its rule or none
                return self.compare_each(outcomes, lead_key="department_each", department=wanted_depts.pop(),
                                         polarity=_over_paths(sit.asks, [p for p in outcomes.values() if p]))
            if len(held) > 1 and (topic := self.unstated(turn, conditions)) and any(outcomes.values()):
                # "那这两个证能不能合并成一个证?": what the notice never states, whichever of them is meant
                return self.not_stated(topic, [p for p in outcomes.values() if p])
            # The answer depends on which certificate is meant: ask, offering only the ones that matter.
            slot = "held" if len(held) > 1 else "wanted"
            q = "你持有的是哪一个证书?" if slot == "held" else "你想申请的是哪一个证书?"
            return self.clarify(slot, self.ordered(held if slot == "held" else wanted), q)
        if all(p is None for p in outcomes.values()):
            (h0, t0) = next(iter(outcomes))
            return self.not_covered_pair(h0, t0, held=held, wanted=wanted)
        if (any(m.kind == "generic" and not m.department for m in turn.role("held")) or sit.held_vague) and len(held) > 1:
            # "我有个电工证" could be one the notice does not name at all: ask rather than assume.
            return self.clarify("held", self.ordered(held), "你持有的是哪一个证书?")
        (h0, t0), first = next(iter(outcomes.items()))
        if first is None:
            return self.not_covered_pair(h0, t0, held=held, wanted=wanted)
        paths = list(outcomes.values())
        if ("region_no" in turn.flags or self.vocab.rx("everywhere_ask").search(turn.text)) and first.condition:
            # "是不是哪个省都能免培训?我们省好像不发": whether it holds everywhere, the notice does answer (no)
            everywhere = bool(self.vocab.rx("everywhere_ask").search(turn.text))
            return self.reply("answered" if everywhere else "not_covered", "region_no",
                              lead_key="region_everywhere" if everywhere else None, citations=[self.cite_path(first)],
                              label=self.label(first.article), polarity="no",
                              rule={"paths": [p.number for p in paths], "condition_failed": True},
                              rule_articles=[first.article])
        if topic := self.unstated(turn, conditions):
            return self.not_stated(topic, [first])
        if turn.topic and turn.topic.get("with_certificate") == "not_covered" and not self.asked_of_the_pair(turn):
            return self.topic(turn.topic, names_certificate=True)   # "拿到建筑电工证以后能在外省用吗"
        return self.recognition_answer(paths, turn, sit.asks)

    @staticmethod
    def asked_of_the_pair(turn) -> bool:
        """"河南发的低压证,在江苏考建筑电工也能免吗": a topic its pair's rule answers (topics.json `of_a_pair`); not
        "我这低压证去外省工地能用吗", where only a site stands for the wanted certificate, nor "拿到建筑电工证以后能在外省
        用吗": the card's own use elsewhere, which the notice does not state."""
        return (bool(turn.topic) and turn.topic.get("of_a_pair") == "rule"
                and not any(m.kind == "site" for m in turn.known)
                and bool(turn.topic["pair_rx"].search(turn.text)))

    def recognition_answer(self, paths, turn, asks) -> Reply:
        p = paths[0]
        h, t = self.catalog.certs[p.held], self.catalog.certs[p.target]
        polarity, asked = _polarity(asks, p)
        fields = dict(held_department=h.department, held_name=h.name, held_short=h.short,
                      target_department=t.department, target_name=t.name, target_short=t.short,
                      waived=p.waived, then=p.then, label=self.label(p.article),
                      waived_items=p.waived.removeprefix("免予"), still=p.then.removeprefix("直接"),
                      asked="、".join(ASKED_NAMES[a] for a in asked) or "所问的项目",
                      condition=f"(注意:{p.condition}。)" if p.condition else "",
                      annex=_annex_note(p), extra=self._also_held_note(turn) + _of_a_pair_note(turn, p))
        lead_key = {"yes": "recognition_yes" if asks else "recognition_plain", "no": "recognition_no",
                    "partial": "recognition_partial"}[polarity]
        if "use_as" in asks:
            lead_key = "recognition_use_as"
        elif asks & {"only_practical", "only_exam", "only_theory", "only_waived"}:
            lead_key = "recognition_only_yes" if polarity == "yes" else "recognition_only_no"
        badge = {"yes": "recognition", "no": "recognition_no", "partial": "recognition_partial"}[polarity]
        key = "recognition"
        if len(paths) > 1:
            fields["held_list"] = self.catalog.names({x.held for x in paths}, "、")
            key = "recognition_ambiguous_same"
            if turn.compare_paths and not asks:
                lead_key = "compare_same"     # "高压证和低压证去考建筑电工,一样吗?"
        reply = self.reply("answered", key, lead_key=lead_key, citations=[self.cite_path(x) for x in paths],
                           polarity=polarity, badge=badge, rule={"paths": [x.number for x in paths], "derived": p.derived},
                           rule_articles=[p.article], **fields)
        if "requirement_claimed" in turn.flags and polarity in ("yes", "no") and not lead_key.startswith("recognition_only"):
            # "培训学校说也得从头培训,这是真的吗": what is asked is whether the claimed requirement is right, so the
            # lead says so first; a requirement the notice waives is wrong, one it keeps is right
            reply.polarity = "no" if polarity == "yes" else "yes"
            reply.lead = self.wording.lead("claim_wrong" if polarity == "yes" else "claim_right") + reply.lead
        elif (named := self.vocab.rx("waived_named_claim").search(turn.text)) and polarity in ("yes", "no"):
            # "通知里写的免的是安全技术培训,对吗": right only if that is the very item this path waives (低压->建筑电工
            # waives 安全作业培训; 安全技术培训 is the other direction's)
            right = named.group("item") in p.waived
            reply.polarity = "yes" if right else "no"
            reply.lead = self.wording.lead("claim_right" if right else "claim_wrong") + reply.lead
        return reply

    def _deemed_prerequisite(self, turn, lv) -> bool:
        """"视同中级工,那我还用先去考中级工证书才能报高级工吗": the level asked to be taken first is one the
        certificate already counts as, so the next level may be applied for without it."""
        for m in self.vocab.rx("level_prerequisite").finditer(turn.text):
            level = self.vocab.level_rank_rx.search(turn.text, m.end(), m.end() + 10)
            if level and self.vocab.level_rank.get(level.group(0), 99) <= lv.rank:
                return True
        return False

    def _skips_the_deemed(self, turn, lv) -> bool:
        """"是不是不用考初级了,直接考中级?": the level not taken is the one the certificate counts as, which is
        what 视同 means, not a waiver inside the next assessment."""
        for m in self.vocab.rx("not_taking").finditer(turn.text):
            level = self.vocab.level_rank_rx.match(turn.text, m.end()) or self.vocab.level_rank_rx.match(turn.text, m.end() + 1)
            if level and self.vocab.level_rank.get(level.group(0), 99) <= lv.rank:
                return True
        return False

    def trade_article(self, trade: str) -> str:
        """The item that holds a trade's recognition rules (电工: 一(一), 焊工: 一(二))."""
        return next(p.article for p in self.rules.paths if self.catalog.certs[p.held].trade == trade)

    def add_level_items(self, reply) -> None:
        _append(reply, f"另外,{self.label('二(一)')}规定了哪些证书视同什么技能等级。", self.level_citations(), "二(一)")

    def add_level(self, reply, held_id) -> None:
        """A second question in the same message, about the held certificate's level: answered after the first."""
        lv = self.rules.level_for(held_id)
        if lv is None:
            return
        cert = self.catalog.certs[held_id]
        _append(reply, f"另外,技能等级:持{cert.short},视同达到相应职业(工种){lv.equivalent}水平,"
                       f"可报名参加{lv.may_apply_for}技能等级认定({self.label(lv.article)})。",
                [self.cite(lv.article, lv.quote)], lv.article)

    def _also_held_note(self, turn) -> str:
        others = [m.text for m in turn.unmodelled if m.role == "held"]
        return f"(你提到的「{'、'.join(others)}」不在通知范围内,不影响上面的结论。)" if others else ""

    def both_ways(self, turn, h, w) -> Reply:
        """"低压电工证和建筑电工证能不能互相免培训": each direction, the one without a rule said to have none."""
        there, back = self.rules.recognition_for(h, w), self.rules.recognition_for(w, h)
        paths = [p for p in (there, back) if p]
        lines = [f"- {self.path_line(p)}" for p in paths]
        lines += [f"- {self.no_path_line(a, b)}" for a, b, p in ((h, w, there), (w, h, back)) if not p]
        asks = turn.asks - {"all"}
        asked = "、".join(ASKED_NAMES[a] for a in asks if a in ASKED_NAMES) or "所问的项目"
        over = _over_paths(asks, paths)
        if not paths:
            lead_key, polarity = "both_ways_none", "no"
        elif len(paths) < 2 and self.vocab.rx("both_ways_asked").search(turn.text):
            lead_key, polarity = "both_ways_one_no", "no"      # "也是两个方向都能免吗": not both
        elif len(paths) < 2:
            lead_key, polarity = "both_ways_one", "partial" if asks else ""
        elif over in ("yes", ""):
            lead_key, polarity = ("both_ways_yes" if over else ""), over
        else:
            lead_key, polarity = "both_ways_some", "partial"
        # neither way: the rules of the two certificates are the nearest items ("他俩想互相考对方那个证")
        nearby = paths or _unique_paths([p for i in (h, w) for p in self.rules.paths_from(i) + self.rules.paths_to(i)])
        articles = sorted({p.article for p in nearby})
        return self.reply("answered" if paths else "not_covered", "recognition_each", lead_key=lead_key, asked=asked,
                          citations=[self.cite_path(p) for p in nearby], lines="\n".join(lines), polarity=polarity,
                          labels="、".join(self.label(a) for a in articles), badge=None if not paths else "recognition",
                          nearest=not paths,
                          rule={"paths": [p.number for p in paths]}, rule_articles=articles)

    def each_path(self, paths, asks=frozenset()) -> Reply:
        lines = "\n".join(f"- {self.path_line(p)}" for p in paths)
        articles = sorted({p.article for p in paths})
        # "他俩都能免培训吗", "那我俩考试是不是也免了": the lead answers it of them all first
        polarity = _over_paths(asks, paths)
        asked = _asked_names(asks)
        return self.reply("answered", "recognition_each", lead_key=f"each_{polarity}" if polarity else "",
                          polarity=polarity, asked=asked,
                          citations=[self.cite_path(p) for p in paths],
                          lines=lines, labels="、".join(self.label(a) for a in articles),
                          rule={"paths": [p.number for p in paths]}, rule_articles=articles, badge="recognition")

    def compare_each(self, outcomes, lead_key="compare_differs", polarity="partial", **fields) -> Reply:
        """Several held certificates compared for one wanted one, where some have no rule: say so for each."""
        paths = [p for p in outcomes.values() if p]
        lines = "\n".join(f"- {self.path_line(p)}" if p else f"- {self.no_path_line(h, t)}" for (h, t), p in outcomes.items())
        articles = sorted({p.article for p in paths})
        return self.reply("answered", "recognition_each", lead_key=lead_key, **fields,
                          citations=[self.cite_path(p) for p in paths], lines=lines,
                          labels="、".join(self.label(a) for a in articles), polarity=polarity,
                          rule={"paths": [p.number for p in paths]}, rule_articles=articles,
                          badge="recognition" if polarity == "yes" else "recognition_partial")

    def pairs_each(self, turn, pairs, asks=frozenset()) -> Reply:
        """Pairs compared in one question ("建筑电工考低压证免的是培训,跟特种设备焊工考熔焊证免的一样吗"): each pair's
        rule, or that it has none. Asked whether they are the same, the lead compares what each waives."""
        outcomes = {pair: self.rules.recognition_for(*pair) for pair in dict.fromkeys(pairs)}
        paths = [p for p in outcomes.values() if p]
        if paths and not turn.names_certificate and (topic := self.unstated(turn)):   # "那这两个证能不能合并成一个证?"
            return self.not_stated(topic, paths)
        if not paths:
            return self.not_covered_pair(*pairs[0], held=frozenset(h for h, _ in pairs), wanted=frozenset(w for _, w in pairs))
        same_asked = self.vocab.rx("asks_same").search(turn.text)
        if len(paths) < len(outcomes):
            return self.compare_each(outcomes, lead_key="compare_differs" if same_asked else "pairs_some")
        waived = {frozenset(a for a in WAIVED_ITEMS if _waives(p, a) == "yes") for p in paths}
        if same_asked and len({(p.waived, p.then) for p in paths}) == 1:
            return self.compare_each(outcomes, lead_key="compare_same", waived=paths[0].waived, then=paths[0].then,
                                     polarity=_over_paths(asks, paths))
        over = _over_paths(asks, paths)
        # not compared, but asked of each pair ("老王是低压电工,小李是熔化焊" … "那考核呢"): of them all first
        lead_key = (f"each_{over}" if over else "") if not same_asked else "pairs_same" if len(waived) == 1 else "pairs_differ"
        items = "、".join(ASKED_NAMES[a] for a in WAIVED_ITEMS if a in next(iter(waived)))
        asked = _asked_names(asks)
        return self.compare_each(outcomes, lead_key=lead_key, items=items, polarity=over, asked=asked)

    def each_person(self, turn, sit) -> Reply:
        """Each named person's answer: a lapsed or missing certificate gets none; a valid one its rule or level."""
        lines, paths, citations, outcomes = [], [], [], []
        for name in turn.names:
            who = "你" if name == "我" else name
            held = [i for m in turn.mentions if m.owner == name and m.certificate and len(m.ids) == 1 for i in m.ids]
            lapsed = turn.person_status.get(name, frozenset())
            if lapsed or not held:
                word = self.wording.lead("person_lapsed" if lapsed & {"expired"} or (held and not lapsed - {"expired"})
                                         else "person_not_held")
                lines.append(f"- {who}:{word}")
                outcomes.append(False)
                continue
            h = held[0]
            if sit.kind == "level" and (lv := self.rules.level_for(h)):
                lines.append(f"- {who}(持{self.catalog.certs[h].short}):视同{lv.occupation}{lv.equivalent}水平,可报名参加"
                             f"{lv.occupation}{lv.may_apply_for}技能等级认定({self.label(lv.article)})")
                citations.append(self.cite(lv.article, lv.quote))
                outcomes.append(True)
                continue
            found = [p for w in self.ordered(sit.wanted or frozenset()) if (p := self.rules.recognition_for(h, w))]
            lines += [f"- {who}:{self.path_line(p)}" for p in found] or [f"- {who}:{self.no_path_line(h, w)}"
                                                                         for w in self.ordered(sit.wanted or frozenset())]
            paths += found
            outcomes.append(bool(found))
        citations += [self.cite_path(p) for p in paths]
        articles = sorted({c["article"] for c in citations}) or ["一(一)"]
        some = any(outcomes)
        return self.reply("answered" if some else "not_covered", "recognition_each",
                          lead_key=("people_some_level" if sit.kind == "level" else "people_some") if some else "people_none",
                          citations=citations,
                          lines="\n".join(lines), labels="、".join(self.label(a) for a in articles),
                          polarity="partial" if some else "no", badge="recognition_partial" if some else None,
                          rule={"people": list(turn.names)}, rule_articles=articles)

    def no_path_line(self, held_id, target_id) -> str:
        h, t = self.catalog.certs[held_id], self.catalog.certs[target_id]
        return f"持{h.department}的{h.short},申请{t.department}的{t.short}:通知没有规定可以免予培训或考试"

    def issuer_of(self, cert_id: str) -> Reply | None:
        """"特种设备焊接操作人员证书是哪个部门发的?": the notice's own sentence naming its department."""
        c = self.catalog.certs[cert_id]
        core = c.short.removesuffix("证")
        found = next(((a, s) for a in ("一(一)", "一(二)", "二(一)") for s in self.a.sentences(self.doc, a)
                      if f"{c.department}颁发" in s and core in s[s.index(f"{c.department}颁发"):]), None)
        if not found:
            return None
        article, sentence = found
        citation = self.cite(article, sentence)
        return self.reply("answered", "issuer", citations=[citation], short=c.short, department=c.department,
                          quote=citation["quote"] if citation else sentence, label=self.label(article),
                          rule={"issuer": cert_id}, rule_articles=[article])

    def where_to_apply(self, sit) -> Reply | None:
        """"在哪报名" about a pair with a rule: the notice names the department applied to, not the window."""
        paths = [p for h in self.ordered(sit.held) for t in self.ordered(sit.wanted)
                 if (p := self.rules.recognition_for(h, t))]
        if len(paths) != 1:
            return None
        p = paths[0]
        t = self.catalog.certs[p.target]
        return self.reply("answered", "where_to_apply", citations=[self.cite_path(p)], target_department=t.department,
                          target_name=t.name, target_short=t.short, label=self.label(p.article), line=self.path_line(p),
                          rule={"paths": [p.number]}, rule_articles=[p.article], badge="recognition")

    # -- listings: the notice's own list, where the question asks "which certificates" ---------
    def listing(self, turn) -> Reply | None:
        if turn.level and turn.level.rank:
            return self._level_listing(turn)
        items = [a for a in ("theory", "fire_exam", "training") if a in turn.asks]
        if not items and self.vocab.rx("notice_scope_ask").search(turn.text):
            return self.each_path(self.rules.paths)      # "那到底管哪些证", "哪些证书之间可以互通互认"
        if not items:
            return None
        paths = [p for p in self.rules.paths if _waives(p, items[0]) == "yes"]
        asked = ASKED_NAMES[items[0]]
        if not paths:
            return self.not_stated(f"哪种证书可以免予{asked}", self.rules.paths)
        return self.reply("answered", "listing", lead_key="listing_waiver", citations=[self.cite_path(p) for p in paths],
                          asked=asked, lines="\n".join(f"- {self.path_line(p)}" for p in paths),
                          labels="、".join(self.label(a) for a in sorted({p.article for p in paths})),
                          rule={"paths": [p.number for p in paths]}, rule_articles=sorted({p.article for p in paths}),
                          badge="recognition")

    def _level_listing(self, turn) -> Reply:
        """"哪些证书可以视同中级工" (equivalent) or "哪些证能报高级工" (may apply for)."""
        field = "equivalent" if turn.level.equivalent else "may_apply_for"
        occupation = turn.level.occupation or next((m.trade for m in turn.mentions if m.kind == "occupation"), None)
        rows = [lv for lv in self.rules.levels.values() if self.vocab.level_rank.get(getattr(lv, field)) == turn.level.rank
                and (not occupation or lv.occupation == occupation)]
        name = next((k for k, v in self.vocab.level_rank.items() if v == turn.level.rank and "(" in k), "")
        verb = "视同" if field == "equivalent" else "可以报名参加"
        if not rows:
            return self.reply("not_covered", "not_stated", citations=self.level_citations(), topic=f"哪些证书{verb}{name}",
                              known="", label=self.label("二(一)"), rule={"not_stated": "level"}, rule_articles=["二(一)"])
        lines = [f"- {self.catalog.certs[lv.held].department}的{self.catalog.certs[lv.held].short}:视同{lv.occupation}"
                 f"{lv.equivalent}水平,可报名参加{lv.may_apply_for}技能等级认定" for lv in rows]
        return self.reply("answered", "listing", lead_key="listing_level",
                          citations=[self.cite(lv.article, q) for q, lv in {lv.quote: lv for lv in rows}.items()],
                          verb=verb, level=name, names="、".join(self.catalog.certs[lv.held].short for lv in rows),
                          lines="\n".join(lines), labels=self.label("二(一)"), rule_articles=["二(一)"], badge="level",
                          rule={"listed": [lv.held for lv in rows]})

    def not_covered_pair(self, held_id, target_id, held=None, wanted=None) -> Reply:
        held, wanted = held or frozenset([held_id]), wanted or frozenset([target_id])
        nearby = _unique_paths([p for i in self.ordered(held) for p in self.rules.paths_from(i)]
                               + [p for i in self.ordered(wanted) for p in self.rules.paths_to(i)])
        h, t = self.catalog.certs[held_id], self.catalog.certs[target_id]
        held_name = self.catalog.names(held) if len(held) > 1 else h.name
        target_name = self.catalog.names(wanted) if len(wanted) > 1 else t.name
        target_department = "或".join(dict.fromkeys(self.catalog.certs[i].department for i in self.ordered(wanted)))
        articles = sorted({p.article for p in nearby}) or ["一(一)" if t.trade == "电工" else "一(二)"]
        return self.reply("not_covered", "not_covered_pair", citations=[self.cite_path(p) for p in nearby],
                          held_name=held_name, target_name=target_name, target_department=target_department,
                          nearby="\n".join(f"- {self.path_line(p)}" for p in nearby) or "- 无",
                          label="、".join(self.label(a) for a in articles), polarity="no", nearest=bool(nearby),
                          rule={"paths": [], "nearby": [p.number for p in nearby]}, rule_articles=articles)

    # -- level ---------------------------------------------------------------------------
    def level(self, turn, sit) -> Reply:
        held = sit.held
        if (_held_by_department_only(turn, self.vocab) and not (sit.inherited or sit.followed)
                and not any(m.kind == "cert" for m in turn.mentions)):    # "建委的工地证,就是建筑电工那个": named after all
            # "我有市场监管局发的证,能算几级工": that department issues many certificates the notice never names
            return self.clarify("held", self.ordered(held), DEPARTMENT_ONLY_QUESTION,
                                kind="level")
        levels = {h: self.rules.level_for(h) for h in held}
        if len({(lv.equivalent, lv.occupation) if lv else None for lv in levels.values()}) > 1:
            # Each certificate named in full ("低压电工作业证和熔化焊接证…能报中级焊工还是中级电工") gets its own
            # level; one vague name standing for several ("电工证") is asked about.
            of_each = self.vocab.rx("each_pair").search(turn.text) or self.vocab.rx("both_of_us").search(turn.text)
            each = (_holds_each(turn, held) or _holds_each(turn, held, roles=("held", "target"))
                    or (sit.inherited and (sit.holds_each or of_each))) and not (
                _one_or_the_other(turn, self.vocab) or self.vocab.rx("dont_know").search(turn.text))   # "低压还是高压记不清了"
            # ... and "低压电工或者熔化焊,记不清是哪个了,能算初级工不": each named in full, and either way the same level
            either_same = all(levels.values()) and len({lv.equivalent for lv in levels.values()}) == 1 and _holds_each(turn, held)
            # ... but "焊工证电工证都有,他能算几级": two vague names held, each of them several certificates: ask
            vague = any(m.kind == "generic" for m in turn.role("held"))
            both = self.vocab.rx("holds_both").search(turn.text) and not vague
            if (turn.compare_paths or each or either_same or both) and all(levels.values()):
                return self.each_level([levels[h] for h in self.ordered(held)], sit.level,   # "高压证和特种设备焊工证…都报"
                                       one_holder=not (turn.every_person or of_each))
            return self.clarify("held", self.ordered(held), "你持有的是哪一个证书?(不同证书视同的等级不同)", kind="level")
        h_id, lv = next(iter(levels.items()))
        if lv is None:
            return self.not_covered_pair(h_id, h_id)
        cert = self.catalog.certs[h_id]
        names = self.catalog.names(held, "、") if len(held) > 1 else cert.name
        departments = "、".join(dict.fromkeys(self.catalog.certs[i].department for i in self.ordered(held)))
        ask = sit.level           # "高压电工证能报高级工吗" -> "换成低压的呢": still 高级工
        fields = dict(held_department=departments, held_name=names, held_short=cert.short, equivalent=lv.equivalent,
                      may_apply_for=lv.may_apply_for, occupation=lv.occupation, label=self.label(lv.article),
                      asked=self.rules.rank_names.get(ask.rank, "") if ask else "")
        cites = [self.cite(lv.article, lv.quote)]
        rule = {"level": h_id, "equivalent": lv.equivalent, "may_apply_for": lv.may_apply_for}
        if ask and ask.occupation and ask.occupation != lv.occupation:
            return self.reply("not_covered", "level_too_high", lead_key="level_other_occupation", citations=cites,
                              asked_occupation=ask.occupation, polarity="no", rule=rule, rule_articles=[lv.article],
                              **fields)
        deemed_asked = (ask and ask.rank is not None and ask.rank <= lv.rank and sit.asks & (WAIVABLE | {"all"})
                        and turn.wants_level_certificate is None)    # not "会直接发我中级工证书吗": no certificate is issued
        topic, prerequisite = self.unstated(turn), self._deemed_prerequisite(turn, lv)
        if topic and not prerequisite:   # "…单位是不是就得按中级工给我发工资": not stated
            return self.not_stated(topic, [], nearest=[(lv.article, cites[0])])
        if turn.beyond_premise and not (sit.inherited or turn.topic):   # "低压证视同初级工,那中级工考几门"
            return self.not_stated("这个问题", [], nearest=[(lv.article, cites[0])])
        if deemed_asked or prerequisite:
            # "低压证有了 评初级工还用考吗": the level asked about is one the certificate already counts as
            # the lead says "no need", so what they hoped to skip is granted: polarity "yes", as for a waiver
            return self.reply("answered", "level", lead_key="level_prerequisite_met", citations=cites, badge="level",
                              polarity="yes", rule=rule, rule_articles=[lv.article], **fields)
        # "想整个中级焊工证,中不中": the next level, wanted by taking its assessment, is what the rule lets one apply for
        # ... and "想考个电工等级证 能考几级的": which level's assessment one may take, the same rule
        by_assessment = (ask and not ask.equivalent and not sit.asks
                         and ((ask.rank == lv.rank + 1 and self.vocab.rx("level_to_take").search(turn.text))
                              or (ask.rank is None and ask.asks and self.vocab.rx("open_level_ask").search(turn.text)))
                         and not self.vocab.rx("issued_directly").search(turn.text)    # not "能不能少考点", "能换…吗"
                         and not self.vocab.rx("waiver_word").search(turn.text))
        if turn.wants_level_certificate is not None and not by_assessment:     # "会直接发我一本初级工的等级证书吗"
            return self.reply("not_covered", "level_too_high", lead_key="level_no_exemption", citations=cites,
                              verb="报考", polarity="no", rule=rule, rule_articles=[lv.article], nearest=True, **fields)
        # "考中级工能免理论吗", "那考中级工是不是只考实操": the notice waives nothing in the level assessment
        # "能报中级工考试不": that exam is the assessment applied for, not something asked off it
        of_the_level = sit.asks <= {"exam"} and self.vocab.rx("level_exam_applied").search(turn.text)
        if (sit.asks & (WAIVABLE | {"only_practical", "only_exam", "only_theory"}) and not self._skips_the_deemed(turn, lv)
                and not of_the_level):
            return self.reply("not_covered", "level_too_high", lead_key="level_no_waiver", citations=cites, verb="报考",
                              polarity="no", rule=rule, rule_articles=[lv.article], nearest=True, **fields)
        if ask and ask.rank is not None and ((ask.equivalent and ask.rank > lv.rank)
                                             or (not ask.equivalent and ask.rank > lv.rank + 1)):
            return self.reply("not_covered", "level_too_high", citations=cites, verb="算作" if ask.equivalent else "报考",
                              polarity="no", rule=rule | {"asked": ask.rank}, rule_articles=[lv.article], **fields)
        if ask and ask.rank is not None and ((ask.equivalent and ask.rank < lv.rank) or (
                not ask.equivalent and ask.rank <= lv.rank and self.vocab.rx("level_applied_claim").search(turn.text))):
            # "高压电工证视同初级工对吧": it counts as more than that, so the claim as stated is wrong
            # ... and "那我高压电工证也是报中级吧": it counts as that level already; the next one is applied for
            return self.reply("answered", "level", lead_key="level_wrong_rank", citations=cites, badge="level",
                              polarity="no", rule=rule, rule_articles=[lv.article], **fields)
        # "就想问问能评级不": whether a level is had at all, which it is
        polarity = "yes" if ask and ask.rank is not None or self.vocab.rx("level_yes_no").search(turn.text) else ""
        return self.reply("answered", "level", citations=cites, badge="level", polarity=polarity, rule=rule,
                          rule_articles=[lv.article], **fields)

    def each_level(self, levels, ask=None, one_holder=False) -> Reply:
        """Each certificate's level; asked for a level none of them reaches ("能直接算技师吗"), not covered."""
        too_high = ask is not None and ask.rank is not None and all(
            ask.rank > lv_rank + (0 if ask.equivalent else 1) for lv_rank in (self.vocab.level_rank.get(lv.equivalent, 0) for lv in levels))
        lines = "\n".join(f"- 持{self.catalog.certs[lv.held].short}:视同{lv.occupation}{lv.equivalent}水平,可报名参加"
                          f"{lv.occupation}{lv.may_apply_for}技能等级认定({self.label(lv.article)})" for lv in levels)
        if too_high:
            return self.reply("not_covered", "recognition_each", lead_key="level_too_high_each",
                              citations=[self.cite(lv.article, lv.quote) for lv in levels], lines=lines, polarity="no",
                              labels=self.label(levels[0].article), asked=self.rules.rank_names.get(ask.rank, ""),
                              verb="算作" if ask.equivalent else "报考", rule={"levels": [lv.held for lv in levels], "asked": ask.rank},
                              rule_articles=[levels[0].article], nearest=True)
        # "高压证和建筑电工证一样都是初级吧": a level claimed of them all is answered yes or no first
        # ... and "能否各自报名相应的中级工认定?": yes where each of them may apply for that level
        rank = ask.rank if ask is not None else None
        claimed = rank is not None and ask.equivalent
        same = claimed and all(self.vocab.level_rank.get(lv.equivalent) == rank for lv in levels)
        lead_key = ("level_each_all" if same else "level_each_not_all") if claimed else ""
        polarity = ("yes" if same else "no") if claimed else ""
        may = [lv for lv in levels if self.vocab.level_rank.get(lv.may_apply_for) == rank]
        if rank is not None and not ask.equivalent and len(may) == len(levels):
            lead_key, polarity = "level_each_may_apply", "yes"
        elif rank is not None and not ask.equivalent and may and one_holder:
            # "手上有熔化焊证和特种设备焊工证,能报焊工高级工吗": one worker, and one of the two lets them apply
            lead_key, polarity = "level_one_may_apply", "yes"
        return self.reply("answered", "recognition_each", lead_key=lead_key, polarity=polarity,
                          citations=[self.cite(lv.article, lv.quote) for lv in levels], lines=lines,
                          labels=self.label(levels[0].article), badge="level",
                          asked=self.rules.rank_names.get(rank, "") if rank is not None else "",
                          names="、".join(self.catalog.certs[lv.held].short for lv in may) if rank is not None else "",
                          rule={"levels": [lv.held for lv in levels]}, rule_articles=[levels[0].article])

    # -- one certificate named ---------------------------------------------------------
    def held_only(self, turn, held, asks=frozenset(), holds_each=False, in_general=False) -> Reply:
        signatures = {h: tuple((p.target, p.waived, p.then) for p in self.rules.paths_from(h)) for h in held}
        # "低压电工证能免什么" asks in general; "焊工证能免什么" depends on which one, so it is asked back
        # ... and so does "通知里对焊工证有什么规定": the notice's rules on every welder certificate
        general = in_general or "我" not in turn.text and ((bool(turn.overview) and not any(m.kind == "generic" for m in turn.role("held")))
                                            or bool(self.vocab.rx("asks_the_notice").search(turn.text))
                                            or bool(self.vocab.rx("which_certificates").search(turn.text)
                                                    and self.vocab.rx("trade_scope").search(turn.text)))
        paths = _unique_paths([p for h in self.ordered(held) for p in self.rules.paths_from(h)])
        if topic := self.unstated(turn):
            return self.not_stated(topic, paths)
        if len(set(signatures.values())) > 1 and not general and not turn.compare_paths and not holds_each:
            return self.clarify("held", self.ordered(held), "你持有的是哪一个证书?")
        if asks and len(paths) == 1:
            return self.recognition_answer(paths, turn, asks)   # "实操呢,也免?" of the one path there is
        lines = [f"- {self.path_line(p)}" for p in paths]
        articles = sorted({p.article for p in paths})
        citations = [self.cite_path(p) for p in paths]
        levels = [self.rules.level_for(h) for h in self.ordered(held) if self.rules.level_for(h)]
        for lv in {lv.quote: lv for lv in levels}.values():
            hs = "、".join(self.catalog.certs[x.held].short for x in levels if x.quote == lv.quote)
            lines.append(f"- 技能等级:持{hs},视同达到相应职业(工种){lv.equivalent}水平,"
                         f"可报名参加{lv.may_apply_for}技能等级认定({self.label(lv.article)})")
            citations.append(self.cite(lv.article, lv.quote))
            articles.append(lv.article)
        verdict = "answered" if lines else "not_covered"
        return self.reply(verdict, "overview", citations=citations, held_name=self.catalog.names(held, "、"),
                          lines="\n".join(lines), labels="、".join(self.label(a) for a in articles),
                          badge="recognition" if paths else None,
                          rule={"paths": [p.number for p in paths]}, rule_articles=articles)

    def what_next(self, held) -> Reply:
        paths = _unique_paths([p for h in self.ordered(held) for p in self.rules.paths_from(h)])
        if len(held) > 1 or not paths:
            return self.clarify("held" if len(held) > 1 else "wanted", self.ordered(held) if len(held) > 1 else [],
                                "你想了解什么?请说说想申请哪个证书,或想问技能等级。")
        name = self.catalog.names(held, "、")
        return self.clarify("wanted", [p.target for p in paths],
                            f"你想申请哪个证书?持有{name},按通知申请下面这些证书时可以免予部分培训或考试(也可以问它视同几级):",
                            citations=[self.cite_path(p) for p in paths])

    def wanted_only(self, turn, wanted) -> Reply:
        paths = _unique_paths([p for t in self.ordered(wanted) for p in self.rules.paths_to(t)])
        if topic := self.unstated(turn):
            return self.not_stated(topic, paths)
        if not paths:
            t = self.catalog.certs[self.ordered(wanted)[0]]
            allp = self.rules.paths
            return self.reply("not_covered", "no_paths_into", citations=[self.cite_path(p) for p in allp],
                              target_name=t.name, nearby="\n".join(f"- {self.path_line(p)}" for p in allp),
                              rule={"paths": []}, rule_articles=sorted({p.article for p in allp}), nearest=True)
        if len(wanted) > 1 and len({self.catalog.certs[t].department for t in wanted}) > 1:
            return self.clarify("wanted", self.ordered(wanted), "你想申请的是哪一个证书?")
        holders = self.ordered({p.held for p in paths})
        return self.clarify("held", holders, "你现在持有哪个证书?以下证书持有人申请时可以免予部分培训或考试:",
                            citations=[self.cite_path(p) for p in paths])

    # -- not provided for ------------------------------------------------------------------
    def not_covered_other(self, mentions, sit, level=False) -> Reply:
        # Point at what the notice does provide nearby: the level rule, or the paths of the named known side.
        paths = self.paths_for(sit) if (sit.held or sit.wanted) else []
        citations, articles = [self.cite_path(p) for p in paths], sorted({p.article for p in paths}) or ["一(一)", "一(二)"]
        if level and paths:
            # "人社的电工中级工证书能换高压电工证吗": the level item and the wanted certificate's own rules are nearest
            citations, articles = self.level_citations() + citations, sorted(set(articles) | {"二(一)"})
        elif level:
            citations, articles = self.level_citations(), ["二(一)"]
        lead_key = "not_covered_foreign" if any(m.why == "foreign" for m in mentions) else "not_covered_other"
        other = "、".join(dict.fromkeys(m.text for m in mentions))
        return self.reply("not_covered", "not_covered_other", lead_key=lead_key, citations=citations, other=other,
                          polarity="no", rule={"other_certificate": other}, rule_articles=articles,
                          nearest=bool(citations))

    def status_reply(self, sit, turn) -> Reply:
        st = sit.status
        lead_key = next((STATUS_LEAD[s] for s in ("other_person", "expired") if s in st), "status_not_held")
        paths = self.paths_for(sit) if sit.held or sit.wanted else []
        if "not_held" in st and sit.wanted and not any(p.target in sit.wanted for p in paths):
            # "电工那边我还没证,能不能…考建筑电工免培训" beside a welder's certificate: the wanted one's rules are nearest
            paths = _unique_paths([p for w in self.ordered(sit.wanted) for p in self.rules.paths_to(w)]) or paths
        if paths and not (sit.kind == "level" or (turn.level and turn.level.asks and not (sit.wanted and sit.held))):
            cites, articles = [self.cite_path(p) for p in paths], sorted({p.article for p in paths})
            rule = f"“{paths[0].quote}”"
        else:
            held = self.ordered(sit.held or ())
            lv = self.rules.level_for(held[0]) if held else None
            cites = [self.cite("二(一)", lv.quote)] if lv else self.level_citations()
            articles, rule = ["二(一)"], f"“{lv.quote}”" if lv else "第二条第(一)项"
        advice = {"status_expired": "请先向原发证部门办理复审或换证,证书有效后再按通知申请。",
                  "status_other_person": "如果你本人想少考一些,要看你自己持有什么证书。",
                  "status_not_held": "先取得证书,再按通知申请;在那之前,要按一般规定参加培训和考试。"}[lead_key]
        return self.reply("not_covered", "status", lead_key=lead_key, citations=cites, advice=advice, original=rule,
                          label="、".join(self.label(a) for a in articles), polarity="no",
                          rule_articles=articles)

    def not_stated(self, topic: str, paths, nearest=()) -> Reply:
        """`nearest`: (article, citation) of the closest rule when no path is (a level's item)."""
        known = ""
        if paths:
            known = "\n\n通知规定的是:\n" + "\n".join(f"- {self.path_line(p)}" for p in paths)
        articles = sorted({p.article for p in paths}) or [a for a, _ in nearest]
        cites = [self.cite_path(p) for p in paths] or [c for _, c in nearest]
        return self.reply("not_covered", "not_stated", citations=cites, topic=topic,
                          known=known, label="、".join(self.label(a) for a in articles), rule={"not_stated": topic},
                          rule_articles=articles, nearest=bool(cites))

    # -- asking back ---------------------------------------------------------------------
    def clarify(self, slot: str, choices, question: str, citations=(), kind: str = "recognition") -> Reply:
        choices = list(choices)
        options = [f"{self.catalog.certs[c].department}的{self.catalog.certs[c].short}" for c in choices]
        listing = "\n".join(f"{i}. {o}" for i, o in enumerate(options, 1))
        return self.reply("clarify", "clarify", citations=citations, question=question, choices=listing,
                          options=options, pending={"slot": slot, "choices": choices, "kind": kind},
                          rule={"pending": slot, "choices": choices})

    # -- from the notice's text ------------------------------------------------------------
    def topic(self, topic: dict, names_certificate: bool = False, asked=None) -> Reply:
        """The topic's sentence; or, when the turn `asked` something of the topic that its sentence does not
        answer (a fee, a timetable), that the notice does not state it."""
        article = topic["article"]
        quote = self.sentence_with(article, topic["anchor"])
        if asked is not None and self.vocab.rx("whole_item").search(asked.text):
            quote = self.citer.items.get((self.doc, article)) or quote     # "数据共享那条说了啥": all of it
        unstated = self.unstated(asked, topic.get("answers", ())) if asked is not None else None
        if unstated:     # "一试多证什么时候开始搞,有时间表吗": the topic is there, the timetable is not
            return self.reply("not_covered", "not_stated", citations=[self.cite(article, quote)], topic=unstated, known="",
                              label=self.label(article), rule={"not_stated": unstated, "topic": topic["id"]},
                              rule_articles=[article], nearest=True)
        verdict = topic.get("with_certificate", "answered") if names_certificate else "answered"
        key = "retrieved" if verdict == "answered" else "nearest"
        # "互认涉及哪些工种": the items that name each trade's certificates are cited beside the topic's sentence
        also = [(a, self.a.sentences(self.doc, a)[0]) for a in topic.get("also", ())]
        # "以后互认范围还会扩大吗": a yes/no question the sentence answers is answered yes or no first
        said = next((y for y in topic.get("yes_no", ()) if asked is not None and y["rx"].search(asked.text)), None)
        if said is None and asked is not None and self.vocab.rx("notice_has_it").search(asked.text):
            said = {"answer": "有", "polarity": "yes"}     # "通知对持证上岗监管有说法吗": the topic's sentence is the say
        said = said if verdict == "answered" else None
        return self.reply(verdict, key, lead_key="topic_answer" if said else None, answer=said["answer"] if said else "",
                          polarity=said["polarity"] if said else "",
                          citations=[self.cite(article, quote)] + [self.cite(a, q) for a, q in also],
                          label=self.label(article), quote=quote, rule={"topic": topic["id"]},
                          rule_articles=sorted({article} | {a for a, _ in also}),
                          nearest=verdict != "answered")

    def article(self, article: str) -> Reply:
        label = f"第{article[0]}条" + (f"第{article[1:]}项" if len(article) > 1 else "")
        text = self.citer.items.get((self.doc, article))
        if not text:
            return self.reply("not_covered", "no_article", label=label, rule={"article": article})
        items = [k[1] for k in self.citer.items if k[0] == self.doc and k[1].startswith(article + "(")]
        if items:     # a section: its items, each by its own heading sentence
            heads = [(a, self.a.sentences(self.doc, a)[0]) for a in items]
            return self.reply("answered", "article_section", citations=[self.cite(a, h) for a, h in heads],
                              label=self.label(article), heading=text.split("、", 1)[-1], count=len(items),
                              lines="\n".join(f"- {self.label(a)}:{h}" for a, h in heads),
                              rule={"article": article}, rule_articles=items)
        citation = self.cite(article, text) or self.cite_longest(article)
        quote = citation["quote"] if citation else ""
        return self.reply("answered", "article", citations=[citation], quote=quote, label=self.label(article),
                          rule={"article": article}, rule_articles=[article])

    def retrieved(self, hit, quote) -> Reply:
        m = hit.doc.metadata
        return self.reply("answered", "retrieved", citations=[self.cite(m["article"], quote, doc=m["doc_number"])],
                          quote=quote, label=self.label(m["article"], m["doc_number"]), **self._doc_fields(m),
                          rule={"retrieval": {"dense": hit.dense, "bm25": hit.bm25}})

    def nearest(self, hit, quote) -> Reply:
        m = hit.doc.metadata
        return self.reply("not_covered", "nearest", citations=[self.cite(m["article"], quote, doc=m["doc_number"])],
                          quote=quote, label=self.label(m["article"], m["doc_number"]), **self._doc_fields(m),
                          rule={"retrieval": {"dense": hit.dense, "bm25": hit.bm25}}, nearest=True)

    def _doc_fields(self, chunk_meta) -> dict:
        """Every answer names the document it quotes, which need not be the certificate notice."""
        meta = self.a.metadata(chunk_meta["doc_number"])
        return {"short_title": meta.get("short_title", ""), "title": meta.get("title", ""),
                "doc_number": meta.get("doc_number", "")}

    def best_quote(self, hit) -> str:
        return self.a.best_quote(hit)

    def coverage(self, text: str, hit) -> float:
        """Share of the question's content words found in the cited item's text."""
        return self.a.coverage(text, hit)

    def unknown_nouns(self, text: str) -> list[str]:
        return self.a.unknown_nouns(text)

    def annex_row(self, text: str = "") -> Reply:
        """"附件序号5是什么证": the annex is not on the page, so no row can be named. A range the body itself
        gives ("序号1到3", "4—7") is answered from the body sentence that points at it. The last 序号 named is the
        one asked ("参见附件序号4—7,附件里序号5具体是哪个证?")."""
        from .metadata import ANNEX_NOTE
        nums = [int(x) if x.isdigit() else "一二三四五六七".index(x) + 1
                for x in re.findall(r"序号\s*([1-7一二三四五六七])(?:\s*(?:到|至|—|-|~|－|–)\s*([1-7一二三四五六七]))?", text)[-1] if x] \
            if re.search(r"序号\s*[1-7一二三四五六七]", text) else []
        ranges = {(1, 3): ("一(一)",), (4, 7): ("一(二)",), (1, 7): ("二(一)",)}
        named = re.search(r"第([一二])条第?[((]?([一二])[))]?项|(?<![一二三四五六七八九十])([一二])[((]([一二])[))]", text)
        if not nums and named:       # "第一条第二项对应附件哪几个序号"
            sec, item = (named[1], named[2]) if named[1] else (named[3], named[4])
            nums = next((list(k) for k, arts in ranges.items() if arts[0] == f"{sec}({item})"), [])
        pointer = lambda a: self.cite(a, next((s for s in self.a.sentences(self.doc, a) if s.startswith("参见附件")), ""),  # noqa: E731
                                      derived=True, note=ANNEX_NOTE)
        # "附件(序号1到7那个表)全文能发我看看吗" asks for the table itself, which the page does not carry
        wants_table = self.vocab.rx("annex_table").search(text)
        if len(nums) == 2 and tuple(nums) in ranges and not wants_table:
            arts = ranges[tuple(nums)]
            rules = {a: ss[1] if len(ss := self.a.sentences(self.doc, a)) > 1 else "" for a in arts}   # after the title
            # the item's own title says what its rows are about ("推进电工职业资格证书互通互认")
            heading = "、".join(re.sub(r"^[((][一二三四五六七八九十][))]", "", self.a.sentences(self.doc, a)[0]).rstrip("。")
                                for a in arts)
            return self.reply("answered", "retrieved", lead_key="annex_range",
                              citations=[pointer(a) for a in arts] + [self.cite(a, rules[a]) for a in arts],
                              label="、".join(self.label(a) for a in arts), rows=f"{nums[0]}—{nums[1]}", heading=heading,
                              quote="".join(rules.values()), rule={"annex_range": list(nums)}, rule_articles=list(arts))
        cites = [pointer(a) for a in ("一(一)", "一(二)", "二(一)")]
        return self.reply("not_covered", "not_stated", lead_key="annex_row", citations=cites, nearest=True,
                          topic="附件各序号的具体内容(收录网页没有附件原表;正文只说第一条第(一)项对应序号1—3,"
                                "第一条第(二)项对应序号4—7,第二条第(一)项对应序号1—7)", rule={"annex_row": True})

    def combine(self, replies) -> Reply:
        """Several answers in one reply, in the order asked; answered when any of them is."""
        first = replies[0]
        for r in replies[1:]:
            first.body = {mode: "\n\n".join(x for x in (text, r.lead, r.body.get(mode, "")) if x) for mode, text in first.body.items()}
            first.citations = _unique(first.citations + r.citations)
            first.rule_articles = sorted(set(first.rule_articles) | set(r.rule_articles))
        first.verdict = "answered" if any(r.verdict == "answered" for r in replies) else first.verdict
        return first

    def metadata(self, wanted: list, turn=None) -> Reply:
        from .metadata import describe
        text, citations = describe(self.a, wanted)
        # "群里有人说这个通知是人社部一家发的,是吗": four offices issued it, so the claim is answered no first
        claimed = turn is not None and "issuers" in wanted and self.vocab.rx("single_issuer_claim").search(turn.text)
        # "兵团这边也执行这个通知吗" (the 主送 names 新疆生产建设兵团), "落款里有市场监管总局吗": yes first
        included = turn is not None and (("addressees" in wanted and self.vocab.rx("addressee_included").search(turn.text))
                                         or ("issuers" in wanted and self.vocab.rx("issuer_included").search(turn.text)))
        lead_key = "claim_not_so" if claimed else "included" if included else None
        return self.reply("answered", "metadata", lead_key=lead_key, citations=citations, text=text,
                          polarity="no" if claimed else "yes" if included else "", rule={"metadata": wanted})


def _asked_names(asks) -> str:
    """What a question over several pairs asked to skip, named for the lead ("培训", "考试")."""
    return "、".join(ASKED_NAMES[a] for a in sorted(asks) if a in ASKED_NAMES) or "所问的项目"


def _over_paths(asks, paths) -> str:
    """The short answer to one question over several paths ("那是不是两个都不用考试了"): their common answer, else
    "partial" (one "no" makes it no "yes"); "" when nothing is asked to skip."""
    marks = {_polarity(asks, p)[0] for p in paths} if asks else set()
    return "" if not marks else marks.pop() if len(marks) == 1 else "partial"


def _append(reply, line: str, citations: list, article: str) -> None:
    """A second answer in the same reply: its line after the body, its citations and item with the rest."""
    reply.body = {mode: f"{text}\n\n{line}" for mode, text in reply.body.items()}
    reply.citations = _unique(reply.citations + citations)
    reply.rule_articles = sorted(set(reply.rule_articles) | {article})


def _one_or_the_other(turn, vocab) -> bool:
    """"低压还是高压", "低压或者高压": one of them, not both."""
    named = [m for m in turn.known if m.certificate]
    return any(vocab.rx("alternative").search(turn.text[a.end:b.start]) for a, b in zip(named, named[1:]))


def _named_by_departments_only(turn) -> bool:
    """Held and wanted certificates both named by nothing but a department, and no trade anywhere in the turn."""
    held, target = turn.role("held"), turn.role("target")
    return (bool(held) and bool(target) and all(m.kind == "dept" for m in held + target)
            and not any(m.trade for m in turn.mentions))


def _held_by_department_only(turn, vocab) -> bool:
    """The held certificate named by its department and nothing else ("市场监管部门发的证", "…的操作证"); not
    "市监局特种设备那个证" (a hint says which), nor "电梯作业人员证(市场监管发的)" (one the notice does not name)."""
    held = turn.role("held")
    bare = lambda m: m.kind == "dept" or (m.kind in ("generic", "cert") and not m.trade and m.department   # noqa: E731
                                          and vocab.rx("bare_certificate_word").search(turn.text[m.core:m.end]))
    # "焊工,市监局特种设备那个证有": the worker's trade, or a hint, says which one it is
    # ... not the held name itself ("特种设备证" names only the department, see entities._trade_unsaid)
    named = turn.role("target") + [m for m in held if m.why == "trade_unsaid"]
    outside = "".join(c for i, c in enumerate(turn.text) if not any(m.start <= i < m.end for m in named))
    said_which = any(m.kind == "occupation" for m in turn.mentions) or any(h in outside for h in vocab.department_hints)
    return bool(held) and not turn.unmodelled and not said_which and all(bare(m) for m in held)


def _holds_each(turn, held, roles=("held",)) -> bool:
    """Several held certificates, each named on its own (not one vague name standing for several)."""
    named = [m for r in roles for m in turn.role(r) if m.kind == "cert"]
    return len(named) > 1 and held == frozenset().union(*(m.ids for m in named))


def _polarity(asks, p) -> tuple[str, list]:
    """What the lead says to "还要培训吗 / 理论免吗 / 全免吗" for path p: yes, no or partial, and the items asked."""
    if "only_waived" in asks:         # "只免考核,对吧": right only when exactly what is named is waived
        if "training_part" in asks:   # "能免的只是理论培训": the notice waives a training whole or not at all
            return "no", []
        claimed = {a for a in ("training", "theory", "fire_exam", "exam", "practical") if a in asks}
        waived = {a for a in ("training", "theory", "fire_exam") if _waives(p, a) == "yes"}
        waived |= {"exam"} if claimed & {"exam"} and "考试" in p.waived else set()
        return ("yes" if claimed == waived else "no"), []
    if "only_practical" in asks:      # "只考实操对吗": right when all else is waived
        return ("yes" if "实操" in p.then else "no"), []
    if "only_theory" in asks:         # "只需要考理论对吗"
        return ("yes" if "理论" in p.then and "实操" not in p.then else "no"), []
    if "only_exam" in asks:           # "只需要考核是吗"
        return ("yes" if "培训" in p.waived and "其他" not in p.then else "no"), []
    asked = [a for a in ("training", "theory", "practical", "fire_exam", "exam", "all", "use_as", "others") if a in asks]
    if not asked:
        return "yes", []
    if "all" in asked:
        return "partial", asked
    status = [_waives(p, a, asks) for a in asked]
    if all(s == "yes" for s in status):
        return "yes", asked
    if all(s == "no" for s in status):
        return "no", asked
    return "partial", asked


WAIVED_ITEMS = ("training", "theory", "fire_exam")    # what a path can waive, in the order a lead names them


def _waives(p, item: str, asks=frozenset()) -> str:
    waived = p.waived
    if item == "others":
        # "那其他考试也都能免了": the ones left after what is waived, never waived. "除了培训,其他考试也都免了吗":
        # every exam but the one set aside, so a waived theory exam makes it partial.
        set_aside = {a.removeprefix("except_") for a in asks if a.startswith("except_")}
        if not set_aside:
            return "no"
        exams = {"theory"} if "理论考试" in waived else set()
        exams |= {"fire_exam"} if "动火作业" in waived else set()
        return "partial" if exams - set_aside else "no"
    if item == "training":
        return "yes" if "培训" in waived else "no"
    if item == "theory":
        return "yes" if "理论考试" in waived else "no"
    if item == "fire_exam":
        return "yes" if "动火作业" in waived else "no"
    if item in ("practical", "use_as"):
        return "no"     # no path waives the practical exam, and none lets one certificate stand for another
    # "还要考试吗": an exam is waived only in part (theory, or the 动火作业 exam), never all of them.
    return "partial" if ("考试" in waived) else "no"


def _of_a_pair_note(turn, p) -> str:
    """"河南发的低压证在江苏考建筑电工也能免吗": the rule's one condition on the certificate, said of the region asked
    (a rule with a regional condition of its own states that instead)."""
    return turn.topic.get("of_a_pair_note", "") if Kit.asked_of_the_pair(turn) and not p.condition else ""


def _annex_note(p) -> str:
    if p.derived:
        return f"(对应附件序号{p.annex_rows}之一;附件原表未收录,此条由正文推定。)"
    return f"(附件序号{p.annex_rows}。)"


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
