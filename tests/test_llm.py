"""Optional LLM wording: accepted only when it keeps the verdict and cites verbatim; tested with langchain fake chat models."""
import json

from langchain_core.language_models.fake_chat_models import FakeListChatModel

Q = "建筑电工证能换低压电工作业证吗"
S3 = "取得住房城乡建设部门颁发的合法有效的建筑电工特种作业操作证的人员,在申请应急管理部门低压电工作业特种作业操作证时,可免予安全技术培训,直接参加安全技术考试。"


def model(**out):
    return FakeListChatModel(responses=[json.dumps(out, ensure_ascii=False)])


def test_llm_is_off_by_default(assistant):
    assert assistant.llm is None
    assert "llm" not in assistant.conversation().ask(Q).to_dict()


def test_a_faithful_rewording_is_used(assistant):
    good = model(answer="可以,免予安全技术培训,直接参加安全技术考试。", verdict="answered",
                 citations=[{"article": "一(一)", "quote": S3}])
    r = assistant.conversation(llm=good).ask(Q).to_dict()
    # The model words the body; the lead stays the deterministic one, which answers the question as asked.
    assert r["llm"] == {"used": True} and r["body"]["worker"].startswith("可以,免予")
    assert r["answer"].startswith(r["lead"])
    assert r["citations"][0]["quote"] == S3


def test_an_invented_article_falls_back_to_the_deterministic_answer(assistant):
    liar = model(answer="依据附件第8条,全部免考。", verdict="answered",
                 citations=[{"article": "附件第8条", "quote": "持建筑电工证的人员全部免考。"}])
    r = assistant.conversation(llm=liar).ask(Q).to_dict()
    assert r["llm"]["used"] is False and "not verifiable" in r["llm"]["fallback"]
    assert "附件第8条" not in r["answer"] and r["citations"][0]["article"] == "一(一)"


def test_a_paraphrased_quote_falls_back(assistant):
    para = model(answer="可以。", verdict="answered", citations=[{"article": "一(一)", "quote": "建筑电工证可以免培训。"}])
    r = assistant.conversation(llm=para).ask(Q).to_dict()
    assert r["llm"]["used"] is False


def test_a_model_contradicting_the_rule_falls_back(assistant):
    contra = model(answer="通知没有规定,不能免。", verdict="not_covered", citations=[])
    r = assistant.conversation(llm=contra).ask(Q).to_dict()
    assert r["verdict"] == "answered" and r["llm"]["fallback"].startswith("verdict changed")


def test_garbage_output_falls_back(assistant):
    r = assistant.conversation(llm=FakeListChatModel(responses=["我是一个大模型"])).ask(Q).to_dict()
    assert r["llm"]["used"] is False and r["verdict"] == "answered"


def test_a_rewording_that_adds_a_fee_a_link_a_date_or_a_phone_falls_back(assistant):
    for added in ("考试费500元,", "详见 www.example.com ,", "请于2026年3月1日前办理,", "咨询电话010-12345678,",
                  "[点这里](http://evil.example/),"):
        sly = model(answer=added + "可以,免予安全技术培训,直接参加安全技术考试。", verdict="answered",
                    citations=[{"article": "一(一)", "quote": S3}])
        r = assistant.conversation(llm=sly).ask(Q).to_dict()
        assert r["llm"]["used"] is False and "adds what" in r["llm"]["fallback"], added
        assert added.strip(",") not in r["answer"]
