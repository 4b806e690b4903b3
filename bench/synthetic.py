"""Synthetic notice pages in the raw scraped-page format of knowledge/sources/.

Test and benchmark data only: never write it under knowledge/. Each page mimics
000_5f5264133ce7bb69.txt line for line — the site's category list, an opaque id,
the validity status, two dates, the title, the "文号  发布时间:" line, addressee,
preamble, 2–5 sections 一、二、… with items (一)(二)… (or plain paragraphs),
sometimes "参见附件中序号NN", the signature (offices + date digits), then the
footer ("  • 附件下载", "扫一扫,打开该文章", copyright lines).

Deterministic: one random.Random(seed) drawn in document order, so the first n
pages of a larger run are the same n pages (generate(..., n=5000) extends a run
of 1000 without changing it). Document numbers and titles are distinct within
a run and never collide with the real notice (人社厅发〔2026〕1号).

    python bench/synthetic.py OUT_DIR [--n 1000] [--seed 0] [--check] [--probe]

generate() returns one "expected" record per page (file, doc_number, title,
sections [item counts], issuers, dates …); check() parses the folder with
ingest.build.parse_sources and compares. probe_variations() writes pages with
rarer real-world layouts (附件 list before the signature, "(此件主动公开)" after
it, a title wrapped over two lines …) and reports which ones the parser reads
correctly; those layouts are not in the main corpus.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

NUMERALS = "一二三四五六七八九十"
NBSP = "\xa0"
REAL_DOC_NUMBERS = {"人社厅发〔2026〕1号"}

CATEGORIES = [
    "其他财税法规", "税收法规", "增值税", "消费税", "企业所得税", "个人所得税", "土地增值税", "印花税",
    "房产税", "契税", "车船税", "资源税", "环境保护税", "税收征管", "纳税服务", "财务与会计法规",
    "会计准则", "会计准则应用指南", "会计准则解释", "企业内部控制", "审计法规", "资产评估", "注册会计师",
    "证券法规", "金融法规", "外汇管理", "金融监管总局", "国务院", "财政部", "国有资产监督管理", "国家审计",
    "海关", "商务部", "发改委", "工信部", "科技部", "市场监督管理", "人社部", "医保局", "自资部",
    "住建部", "知识产权局", "应急管理部", "交通运输部", "农业农村部", "其他部门法规", "地方财税法规",
    "江苏财经法规", "北京财税法规", "上海财税法规", "浙江财税法规", "广东财税法规", "四川财税法规",
    "山东财税法规", "湖北财税法规", "法律及司法文件", "全国人大", "法院", "检察院", "司法部", "民法典相关",
    "法律法规征求意见稿",
]
PRIMARY = ["人社部", "住建部", "应急管理部", "市场监督管理", "交通运输部", "农业农村部", "地方财税法规"]

# (department as a subject "X部门", national office, doc-number prefixes, short for categories)
DEPARTMENTS = [
    ("人力资源社会保障部门", "人力资源社会保障部办公厅", ["人社厅发", "人社部发", "人社厅函", "人社部函"], "人社部"),
    ("住房城乡建设部门", "住房城乡建设部办公厅", ["建办质", "建人", "建办人"], "住建部"),
    ("应急管理部门", "应急管理部办公厅", ["应急厅", "应急函"], "应急管理部"),
    ("市场监管部门", "市场监管总局办公厅", ["市监特设发", "市监特设函"], "市场监督管理"),
    ("交通运输部门", "交通运输部办公厅", ["交办运", "交职业发"], "交通运输部"),
    ("农业农村部门", "农业农村部办公厅", ["农办人", "农人发"], "农业农村部"),
    ("卫生健康部门", "国家卫生健康委办公厅", ["国卫办人发", "国卫人发"], "其他部门法规"),
    ("民政部门", "民政部办公厅", ["民办发", "民发"], "其他部门法规"),
    ("教育部门", "教育部办公厅", ["教职成厅", "教职成"], "其他部门法规"),
    ("商务部门", "商务部办公厅", ["商办服贸", "商服贸发"], "商务部"),
    ("文化和旅游部门", "文化和旅游部办公厅", ["办人发", "文旅人发"], "其他部门法规"),
    ("工业和信息化部门", "工业和信息化部办公厅", ["工信厅人", "工信部人"], "工信部"),
    ("消防救援机构", "国家消防救援局办公室", ["消防办", "消防"], "其他部门法规"),
    ("生态环境部门", "生态环境部办公厅", ["环办人事", "环人事"], "其他部门法规"),
]
PROVINCES = ["江苏", "浙江", "广东", "山东", "四川", "湖北", "湖南", "河南", "河北", "福建", "安徽", "江西",
             "陕西", "山西", "云南", "贵州", "辽宁", "吉林", "甘肃", "海南"]
PROVINCE_SHORT = {"江苏": "苏", "浙江": "浙", "广东": "粤", "山东": "鲁", "四川": "川", "湖北": "鄂", "湖南": "湘",
                  "河南": "豫", "河北": "冀", "福建": "闽", "安徽": "皖", "江西": "赣", "陕西": "陕", "山西": "晋",
                  "云南": "云", "贵州": "黔", "辽宁": "辽", "吉林": "吉", "甘肃": "甘", "海南": "琼"}
PROVINCE_OFFICES = [("人力资源和社会保障厅", "人社发", "人力资源社会保障部门"), ("住房和城乡建设厅", "建质", "住房城乡建设部门"),
                    ("应急管理厅", "应急发", "应急管理部门"), ("市场监督管理局", "市监发", "市场监管部门"),
                    ("交通运输厅", "交运发", "交通运输部门"), ("卫生健康委员会", "卫人发", "卫生健康部门")]

PROFESSIONS = [
    # (profession, certificates it involves)
    ("电工", ["低压电工作业特种作业操作证", "高压电工作业特种作业操作证", "建筑电工特种作业操作证", "电工职业技能等级证书"]),
    ("焊工", ["熔化焊接与热切割作业特种作业操作证", "建筑焊工特种作业操作证", "特种设备焊接操作人员证书", "焊工职业技能等级证书"]),
    ("起重机械司机", ["起重机械作业人员证书", "建筑起重机械司机特种作业操作证", "起重装卸机械操作工职业技能等级证书"]),
    ("叉车司机", ["场(厂)内专用机动车辆作业人员证书", "叉车司机职业技能等级证书"]),
    ("架子工", ["建筑架子工特种作业操作证", "架子工职业技能等级证书"]),
    ("制冷与空调作业人员", ["制冷与空调设备运行操作作业特种作业操作证", "制冷空调系统安装维修工职业技能等级证书"]),
    ("电梯安装维修工", ["电梯作业人员证书", "电梯安装维修工职业技能等级证书"]),
    ("锅炉操作工", ["锅炉作业人员证书", "锅炉运行值班员职业技能等级证书"]),
    ("高处作业人员", ["登高架设作业特种作业操作证", "高处安装维护拆除作业特种作业操作证"]),
    ("危险化学品作业人员", ["危险化学品安全作业特种作业操作证", "化工总控工职业技能等级证书"]),
    ("养老护理员", ["养老护理员职业技能等级证书", "医疗护理员培训合格证明"]),
    ("保育师", ["保育师职业技能等级证书", "育婴员职业技能等级证书"]),
    ("家政服务员", ["家政服务员职业技能等级证书", "母婴护理员专项职业能力证书"]),
    ("中式烹调师", ["中式烹调师职业技能等级证书", "食品安全管理员培训合格证明"]),
    ("汽车维修工", ["汽车维修工职业技能等级证书", "机动车检测工职业技能等级证书"]),
    ("消防设施操作员", ["消防设施操作员职业技能等级证书", "建(构)筑物消防员职业资格证书"]),
    ("网络与信息安全管理员", ["网络与信息安全管理员职业技能等级证书", "信息通信网络运行管理员职业技能等级证书"]),
    ("道路客运驾驶员", ["道路旅客运输驾驶员从业资格证", "机动车驾驶员职业技能等级证书"]),
    ("农业经理人", ["农业经理人职业技能等级证书", "农艺工职业技能等级证书"]),
    ("茶艺师", ["茶艺师职业技能等级证书", "评茶员职业技能等级证书"]),
    ("导游", ["导游资格证书", "前厅服务员职业技能等级证书"]),
    ("保安员", ["保安员证", "保安员职业技能等级证书"]),
    ("塔式起重机司机", ["建筑起重机械司机(塔式起重机)特种作业操作证", "塔式起重机驾驶员职业技能等级证书"]),
    ("矿山作业人员", ["金属非金属矿山安全作业特种作业操作证", "矿山救护工职业技能等级证书"]),
]
LEVELS = ["初级工(五级)", "中级工(四级)", "高级工(三级)", "技师(二级)", "高级技师(一级)"]
TRAININGS = ["安全作业培训", "安全技术培训", "理论知识培训", "岗前集中培训", "继续教育学时"]
EXAMS = ["安全技术考试", "安全技术实操考试", "理论知识考试", "操作技能考核", "综合评审", "现场实操考核"]
TOPICS = [
    "推进{prof}职业技能证书互通互认", "做好{year}年{prof}职业技能等级认定工作", "规范{prof}特种作业人员考核发证",
    "加强{prof}职业技能培训管理", "开展{prof}技能人才联合评价试点", "优化{prof}证书查询验证服务",
    "做好{prof}证书延期复审工作", "推进{prof}职业资格与职业技能等级衔接", "落实{prof}持证上岗监管",
    "开展{year}年{prof}职业技能竞赛", "实施{prof}技能提升行动", "规范{prof}职业技能评价机构备案",
]
TITLE_ENDINGS = ["的通知", "的通知", "的通知", "的补充通知", "的意见", "的实施意见"]
SECTION_HEADINGS = [
    "总体要求", "主要任务", "重点工作", "推进重点领域{prof}证书互通互认", "推进职业资格证书与职业技能等级证书相衔接",
    "加强{prof}证书的监管与服务", "规范评价程序", "强化组织实施", "加强数据共享", "做好宣传引导", "工作安排",
    "保障措施", "优化办事流程", "严格考核发证管理", "完善{prof}培训体系",
]
ITEM_HEADINGS = [
    "推进{prof}职业资格证书互通互认", "实施{prof}证书比照认定", "简化{prof}考核程序", "加强组织领导",
    "加强数据共享", "加强宣传总结", "明确适用范围", "规范证书管理", "强化监督检查", "做好衔接过渡",
    "支持开展联合评价工作", "优化证书查询服务", "落实培训补贴政策", "健全工作机制", "严格评价质量督导",
]
SENTENCES = [
    "取得{dept}颁发的合法有效的{cert}的人员,在向{dept2}申请{cert2}时,可免予{training},直接参加{exam}。",
    "持有{cert}的人员,视同达到相应职业(工种){level}水平,可按规定报名参加{level2}技能等级认定。",
    "各有关部门(单位)要健全工作机制,{dept}统筹协调,{dept2}积极参与,共同推进{prof}证书互通互认。",
    "{dept}要会同{dept2}建立跨部门协同机制,统筹职业资格评价和职业技能等级认定资源。",
    "对{prof}从业人员中证书有效期届满的,可在届满前三个月内向原发证机关申请延期复审。",
    "各地要依托技能人才评价工作网,健全完善{cert}查询系统,实现一网查询。",
    "{dept}要严格评价机构遴选条件,严格执行评价标准,严格规范考务实施。",
    "申请人应当提交身份证明、{cert}原件及复印件,以及近{n}年内无违章作业记录的书面承诺。",
    "对弄虚作假取得{cert}的,由发证机关依法撤销证书,{n}年内不得再次申请。",
    "各省级{dept}可结合本地实际制定实施细则,报上级主管部门备案。",
    "要加强跟踪分析和督促指导,总结推广创新举措和经验做法,逐步扩大互通互认覆盖范围。",
    "培训机构应当按照{prof}培训大纲组织教学,理论学时不少于{hours}学时,实操学时不少于{hours2}学时。",
    "考核合格的,由{dept}在{n}个工作日内核发{cert2}。",
    "各有关部门(单位)要做好证书数据的归集、审核、上传、查询等工作。",
    "在满足公共安全、人身健康、生命财产安全等要求前提下,可探索开展“一试多证”。",
    "对没有相关信息查询网站的,由相关实施部门(单位)每季度汇总证书信息,按照有关规定上传。",
    "各地在执行中遇到的问题和建议,请及时报告上级有关部门。",
    "用人单位应当如实记录{prof}持证上岗情况,不得安排未取得{cert}的人员独立上岗作业;违反规定的,依法予以处理。",
    "本通知自印发之日起施行,此前有关规定与本通知不一致的,以本通知为准。",
    "{dept}要积极扩大政策知晓度,主动回应社会关切,营造良好社会氛围!",
]
PREAMBLES = [
    "为贯彻落实党中央、国务院关于{goal}等决策部署,{aim},现就{topic}有关事项通知如下。",
    "为进一步{aim},经研究,现就{topic}工作通知如下:",
    "根据《{law}》有关规定,为{aim},现就{topic}提出如下意见。",
    "近年来,各地{topic}工作取得积极进展。为{aim},现将有关事项通知如下。",
]
GOALS = ["加快全国统一大市场建设、优化营商环境", "促进高质量充分就业", "加强技能人才队伍建设", "深化“放管服”改革"]
AIMS = ["减轻劳动者技能评价取证负担", "提升技能评价服务效能", "规范{prof}从业人员管理", "保障安全生产",
        "畅通技能人才成长通道"]
LAWS = ["中华人民共和国安全生产法", "中华人民共和国特种设备安全法", "中华人民共和国职业教育法",
        "特种作业人员安全技术培训考核管理规定", "建筑施工特种作业人员管理规定"]
ADDRESSEES = [
    "各省、自治区、直辖市及新疆生产建设兵团{a}:",
    "各省、自治区、直辖市{a}:",
    "各设区市{a},省各有关单位:",
    "各市、县(区){a}:",
]
COPYRIGHTS = [
    ["版权所有:天赋长江(无锡)税务师事务所", "地址:江苏省江阴市长江路169号汇富广场22楼",
     "电话:0510-86855000 邮箱:tfcj@tfcjtax.com", "苏ICP备05004909 苏B2-20040047"],
    ["版权所有:天赋长江(无锡)税务师事务所", "苏ICP备05004909 苏B2-20040047"],
]


@dataclass
class Expected:
    file: str
    doc_number: str
    title: str
    published: str
    status: str
    issuers: list[str]
    addressee: str                 # "" when the page has none
    sections: list[int]            # item count per section (0 = paragraphs, no items)
    sentences: int                 # sentence nodes in preamble + sections/items
    annex_refs: int
    signature_raw: str
    signature_date: str            # what ingest should read from signature_raw
    variant: str = "standard"
    extra: dict = field(default_factory=dict)


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.numbers: set[str] = set(REAL_DOC_NUMBERS)
        self.titles: set[str] = set()
        self.counters: dict[tuple, int] = {}

    # --- pieces -----------------------------------------------------------
    def fill(self, template: str, ctx: dict) -> str:
        r = self.rng
        depts = [d[0] for d in DEPARTMENTS]
        certs = ctx["certs"]
        values = {
            "prof": ctx["prof"], "year": ctx["year"], "topic": ctx.get("topic", ""),
            "dept": r.choice(ctx["depts"]), "dept2": r.choice(depts),
            "cert": r.choice(certs), "cert2": r.choice(certs),
            "training": r.choice(TRAININGS), "exam": r.choice(EXAMS),
            "level": r.choice(LEVELS[:3]), "level2": r.choice(LEVELS[1:]),
            "n": r.randint(2, 5), "hours": r.choice([16, 24, 32, 40]), "hours2": r.choice([24, 36, 48]),
            "goal": r.choice(GOALS), "aim": r.choice(AIMS).replace("{prof}", ctx["prof"]), "law": r.choice(LAWS),
        }
        return template.format(**values)

    def doc_number(self, prefixes: list[str], year: int) -> str:
        while True:
            prefix = self.rng.choice(prefixes)
            key = (prefix, year)
            self.counters[key] = self.counters.get(key, 0) + self.rng.randint(1, 4)
            number = f"{prefix}〔{year}〕{self.counters[key]}号"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def page(self, index: int, variant: str = "standard") -> tuple[str, Expected]:
        r = self.rng
        year = r.randint(2019, 2026)
        month, day = r.randint(1, 12), r.randint(1, 28)
        published = f"{year:04d}-{month:02d}-{day:02d}"
        prof, certs = r.choice(PROFESSIONS)

        # Issuers: a national joint notice or one provincial department.
        if r.random() < 0.7:
            lead, *others = r.sample(DEPARTMENTS, r.randint(1, 4))
            issuers = [lead[1]] + [d[1] for d in others]
            depts = [lead[0]] + [d[0] for d in others]
            number = self.doc_number(lead[2], year)
            primary = lead[3]
            scope = "各省、自治区、直辖市"
            addressee_a = "、".join({"人力资源社会保障部门": "人力资源社会保障厅(局)",
                                     "住房城乡建设部门": "住房城乡建设厅(委、建委、局)",
                                     "应急管理部门": "应急管理厅(局)", "市场监管部门": "市场监管局(厅、委)"}
                                    .get(d, d.replace("部门", "厅(局)").replace("机构", "总队")) for d in depts)
        else:
            province = r.choice(PROVINCES)
            picks = r.sample(PROVINCE_OFFICES, r.randint(1, 3))
            issuers = [f"{province}省{o[0]}" for o in picks]
            depts = [o[2] for o in picks]
            number = self.doc_number([PROVINCE_SHORT[province] + picks[0][1]], year)
            primary = "地方财税法规"
            scope = "各设区市"
            addressee_a = "、".join(d.replace("部门", "局") for d in depts)

        ctx = {"prof": prof, "certs": certs, "depts": depts, "year": year}
        topic = r.choice(TOPICS).format(prof=prof, year=year)
        ending = r.choice(TITLE_ENDINGS)
        sep = r.choice([NBSP, NBSP, NBSP * 3, " "])
        title = sep.join(issuers) + f"关于{topic}{ending}"
        while title in self.titles:          # distinct titles: widen the topic until new
            topic += r.choice(["(第二批)", "有关问题", "试点", "(修订)", "相关事项"])
            title = sep.join(issuers) + f"关于{topic}{ending}"
        self.titles.add(title)
        ctx["topic"] = topic

        status = r.choices(["全文有效", "部分有效", "全文失效"], weights=[90, 7, 3])[0]
        lines: list[str] = []
        cats = r.sample(CATEGORIES, r.randint(20, len(CATEGORIES)))
        lines += cats + [primary]
        lines.append("".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12)))
        lines += [status, published, published]
        lines.append(title)
        lines.append(f"{number}{NBSP}{NBSP}发布时间:{published} {NBSP}{NBSP}")
        lines += [NBSP, ""]

        has_addressee = r.random() < 0.95
        addressee = ""
        if has_addressee:
            addressee = r.choice(ADDRESSEES).format(a=addressee_a)
            if scope == "各设区市":
                addressee = f"各设区市{addressee_a}:"
            if r.random() < 0.2:
                addressee = addressee[:-1] + "："
            lines += [addressee, ""]

        preamble_paras = 1 if r.random() < 0.85 else 2
        sentences = 0
        for _ in range(preamble_paras):
            # Without an addressee the first line must not end with ":" (see probe "no_addressee_colon").
            choices = PREAMBLES if has_addressee else [t for t in PREAMBLES if t.endswith("。")]
            pre = self.fill(r.choice(choices), ctx)
            if r.random() < 0.4:
                pre = self.fill(r.choice(SENTENCES), ctx) + pre
            sentences += _count_sentences(pre)
            lines += [pre, ""]

        sections = []
        annex_refs = 0
        annex_row = 1
        full_width = r.random() < 0.1
        for s in range(r.randint(2, 5)):
            heading = r.choice(SECTION_HEADINGS).format(prof=prof)
            lines += [f"{NUMERALS[s]}、{heading}", ""]
            n_items = r.choices([0, 1, 2, 3, 4, 5, 6], weights=[12, 10, 25, 25, 15, 8, 5])[0]
            sections.append(n_items)
            if n_items == 0:
                for _ in range(r.randint(1, 2)):
                    para = "".join(self.fill(r.choice(SENTENCES), ctx) for _ in range(r.randint(1, 4)))
                    sentences += _count_sentences(para)
                    lines += [para, ""]
                continue
            for k in range(n_items):
                marker = f"（{NUMERALS[k]}）" if full_width else f"({NUMERALS[k]})"
                body = marker + r.choice(ITEM_HEADINGS).format(prof=prof) + "。"
                body += "".join(self.fill(r.choice(SENTENCES), ctx) for _ in range(r.randint(1, 5)))
                if r.random() < 0.25:
                    first = annex_row
                    last = annex_row + r.randint(0, 3)
                    annex_row = last + 1
                    body += f"参见附件中序号{first}{last if last != first else ''}"
                    annex_refs += 1
                sentences += _count_sentences(body)
                lines += [body, ""]
                if r.random() < 0.1:              # a second paragraph of the same item
                    para = self.fill(r.choice(SENTENCES), ctx)
                    sentences += _count_sentences(para)
                    lines += [para, ""]

        lines += [NBSP, ""]
        for office in issuers:
            lines += [office, ""]
        sig_style = r.random()
        if sig_style < 0.8:
            signature_raw, signature_date = f"{year}{month}{day}", published
            # digits alone are ambiguous; ingest only accepts the reading that matches 发布时间
        else:
            sy, sm, sd = year, month, max(1, day - r.randint(0, 5))
            signature_raw, signature_date = f"{sy}年{sm}月{sd}日", f"{sy:04d}-{sm:02d}-{sd:02d}"
        lines += [signature_raw, "", NBSP, ""]
        lines += ["  • 附件下载", f"  • {NBSP}", NBSP, NBSP, NBSP, "", "扫一扫,打开该文章", "",
                  "相关文章 查看更多>>", f"【打印】 {NBSP * 4} 【关闭】"]
        lines += r.choice(COPYRIGHTS)

        text = "\n".join(lines)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        name = f"syn{index:05d}_{digest}.txt"
        return text, Expected(
            file=name, doc_number=number, title=" ".join(title.replace(NBSP, " ").split()),
            published=published, status=status, issuers=issuers, addressee=addressee.rstrip(":："),
            sections=sections, sentences=sentences, annex_refs=annex_refs,
            signature_raw=signature_raw, signature_date=signature_date)


def numeral(n: int) -> str:
    """1..99 as the notices write them: 三, 十, 十二, 二十, 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"section and item numerals go up to 九十九, not {n}")
    tens, ones = divmod(n, 10)
    return ((NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "")
            + (NUMERALS[ones - 1] if ones else ""))


def large_page(target_bytes: int, seed: int = 0, shape: str = "structured") -> tuple[str, Expected]:
    """One notice page of about `target_bytes` UTF-8 bytes, for the ingest scaling benchmark.

    The usual chrome, title, 文号 line, addressee and signature, around a body that
    grows with the target. shape="structured": a preamble of several paragraphs,
    then 2 to 99 sections, every fifth one of plain paragraphs (no items), the
    others with up to 99 items of one or more paragraphs. shape="sections":
    four sections 一、…四、 of plain paragraphs, no items (a long 办法 under a
    few headings). shape="flat": a regulation written as "第N条…" paragraphs,
    which the parser reads as one long preamble (no 一、 sections). Each shape
    keeps its proportions at every size, so the per-byte cost of each ingest
    stage can be compared across sizes.
    """
    if shape not in ("structured", "sections", "flat"):
        raise ValueError(f"shape is 'structured', 'sections' or 'flat', not {shape!r}")
    gen = _Gen(seed)
    r = gen.rng
    prof, certs = PROFESSIONS[0]
    year, published = 2031, "2031-03-15"
    issuers = [DEPARTMENTS[0][1], DEPARTMENTS[1][1]]
    ctx = {"prof": prof, "certs": certs, "depts": [DEPARTMENTS[0][0], DEPARTMENTS[1][0]], "year": year,
           "topic": f"做好{prof}证书管理"}
    number = f"人社厅发〔{year}〕{seed + 1}号"
    title = NBSP.join(issuers) + f"关于做好{prof}证书管理的通知"
    lines = CATEGORIES[:30] + ["人社部", "abcdefghij01", "全文有效", published, published, title,
                               f"{number}{NBSP}{NBSP}发布时间:{published} {NBSP}{NBSP}", NBSP, "",
                               "各省、自治区、直辖市人力资源社会保障厅(局):", ""]
    footer_lines = [NBSP, "", *(x for o in issuers for x in (o, "")), f"{year}315", "", NBSP, "",
                    "  • 附件下载", f"  • {NBSP}", "扫一扫,打开该文章", "", *COPYRIGHTS[0]]
    written = [sum(len(x.encode("utf-8")) + 1 for x in lines + footer_lines)]
    sentences = 0

    def size() -> int:
        return written[0]

    def add(*new: str) -> None:
        lines.extend(new)
        written[0] += sum(len(x.encode("utf-8")) + 1 for x in new)

    def para(k_min: int, k_max: int) -> str:
        nonlocal sentences
        text = "".join(gen.fill(r.choice(SENTENCES), ctx) for _ in range(r.randint(k_min, k_max)))
        sentences += _count_sentences(text)
        return text

    budget = max(0, target_bytes - size())
    add(gen.fill(PREAMBLES[0], ctx), "")
    sentences += _count_sentences(lines[-2])
    if shape == "flat":
        n = 0
        while size() < target_bytes:
            n += 1
            add(f"第{n}条 " + para(1, 4), "")
        text = "\n".join(lines + footer_lines)
        return text, Expected(file=f"large_flat_{target_bytes}_{seed}.txt", doc_number=number,
                              title=" ".join(title.replace(NBSP, " ").split()), published=published,
                              status="全文有效", issuers=issuers, addressee="各省、自治区、直辖市人力资源社会保障厅(局)",
                              sections=[], sentences=sentences, annex_refs=0, signature_raw=f"{year}315",
                              signature_date=published, variant="large_flat")
    if shape == "sections":
        sections = []
        per_section = budget / 4
        for k in range(1, 5):
            start = size()
            add(f"{numeral(k)}、" + SECTION_HEADINGS[k].format(prof=prof), "")
            n = 0
            while size() - start < per_section:
                n += 1
                add(f"第{n}条 " + para(1, 4), "")
            sections.append(0)
        text = "\n".join(lines + footer_lines)
        return text, Expected(file=f"large_sections_{target_bytes}_{seed}.txt", doc_number=number,
                              title=" ".join(title.replace(NBSP, " ").split()), published=published,
                              status="全文有效", issuers=issuers, addressee="各省、自治区、直辖市人力资源社会保障厅(局)",
                              sections=sections, sentences=sentences, annex_refs=0, signature_raw=f"{year}315",
                              signature_date=published, variant="large_sections")
    n_sections = max(2, min(99, budget // 40_000))
    per_section = budget * 0.97 / n_sections
    # items grow (more paragraphs) once 99 items of the usual size no longer fill a section
    item_bytes = per_section / 99
    pre_budget = budget * 0.03
    while size() < target_bytes - budget + pre_budget:
        add(para(1, 3), "")
    sections = []
    annex_refs = 0
    for s in range(1, n_sections + 1):
        start = size()
        add(f"{numeral(s)}、" + SECTION_HEADINGS[s % len(SECTION_HEADINGS)].format(prof=prof), "")
        if s % 5 == 0:
            while size() - start < per_section:
                add(para(1, 4), "")
            sections.append(0)
            continue
        k = 0
        while size() - start < per_section and k < 99:
            k += 1
            at = size()
            body = f"({numeral(k)})" + ITEM_HEADINGS[k % len(ITEM_HEADINGS)].format(prof=prof) + "。"
            sentences += 1
            body += para(1, 5)
            if r.random() < 0.2:
                body += f"参见附件中序号{k}{k + 2}"
                sentences += 1
                annex_refs += 1
            add(body, "")
            for _ in range(r.randint(0, 2)):
                add(para(1, 3), "")
            want = item_bytes * r.uniform(0.6, 1.4)
            while size() - at < want:
                add(para(1, 3), "")
        sections.append(k)
    text = "\n".join(lines + footer_lines)
    name = f"large_{target_bytes}_{seed}.txt"
    return text, Expected(file=name, doc_number=number, title=" ".join(title.replace(NBSP, " ").split()),
                          published=published, status="全文有效", issuers=issuers,
                          addressee="各省、自治区、直辖市人力资源社会保障厅(局)", sections=sections,
                          sentences=sentences, annex_refs=annex_refs, signature_raw=f"{year}315",
                          signature_date=published, variant="large")


def _count_sentences(text: str) -> int:
    from ingest.tree import SENTENCE
    return sum(1 for m in SENTENCE.finditer(text) if m.group().strip())


def generate(folder: Path | str, n: int = 1000, seed: int = 0, start: int = 0) -> list[Expected]:
    """Write pages start..n-1 of the run `seed` into folder; return their expected structure.

    Pages 0..start-1 are generated (to keep the random stream) but not written,
    so generate(d, 5000, start=1000) adds to a folder holding generate(d, 1000).
    """
    folder = Path(folder)
    if _under_knowledge(folder):
        raise ValueError(f"synthetic pages must not be written under knowledge/: {folder}")
    folder.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed)
    expected = []
    for i in range(n):
        text, exp = gen.page(i)
        if i >= start:
            (folder / exp.file).write_text(text, encoding="utf-8")
            expected.append(exp)
    return expected


def _under_knowledge(folder: Path) -> bool:
    root = Path(__file__).resolve().parent.parent / "knowledge"
    try:
        folder.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def settings_for(folder: Path, data_dir: Path):
    from assistant.config import Settings
    return Settings.from_env(sources_dir=Path(folder), data_dir=Path(data_dir))


def check_docs(docs: list[dict], expected: list[Expected]) -> list[str]:
    """Compare parsed docs with what the generator wrote; return a list of problems (empty = all good)."""
    problems = []
    by_source = {d["source"]: d for d in docs}
    for exp in expected:
        d = by_source.get(exp.file)
        if d is None:
            problems.append(f"{exp.file}: not parsed")
            continue
        m, nodes = d["metadata"], d["nodes"]
        where = f"{exp.file} ({exp.variant})"

        def want(what, got, expected_value):
            if got != expected_value:
                problems.append(f"{where}: {what} {got!r} != expected {expected_value!r}")

        want("doc_number", m["doc_number"], exp.doc_number)
        want("title", m["title"], exp.title)
        want("published", m["published"], exp.published)
        want("status", m["status"], exp.status)
        want("issuers", m["issuers"], exp.issuers)
        want("addressee", m["addressees"], exp.addressee)
        want("signature_date", m["signature_date"], exp.signature_date)
        sections = [n for n in nodes if n["kind"] == "section"]
        items = {s["id"]: sum(1 for n in nodes if n["kind"] == "item" and n["parent"] == s["id"]) for s in sections}
        want("items per section", [items[s["id"]] for s in sections], exp.sections)
        want("sentences", sum(1 for n in nodes if n["kind"] == "sentence"), exp.sentences)
        want("annex refs", sum(1 for n in nodes if "annex_ref" in n), exp.annex_refs)
        want("signature node", sum(1 for n in nodes if n["kind"] == "signature"), 1)
        for n in nodes:
            if d["cleaned"][n["start"]:n["end"]] != n["text"]:
                problems.append(f"{where}: node {n['id']} is not a verbatim slice")
        for s in sections:      # a section with items is its heading line only
            if items[s["id"]] and "\n" in s["text"]:
                problems.append(f"{where}: section {s['id']} spans lines")
    numbers = [d["metadata"]["doc_number"] for d in docs]
    if len(set(numbers)) != len(numbers):
        problems.append("document numbers are not distinct")
    return problems


def check(folder: Path, expected: list[Expected], data_dir: Path | None = None) -> list[str]:
    from ingest.build import parse_sources
    with tempfile.TemporaryDirectory() as tmp:
        docs = parse_sources(settings_for(folder, data_dir or Path(tmp)))
    return check_docs(docs, expected)


# --- layouts outside the main corpus --------------------------------------------------

def probe_variations(folder: Path | str, seed: int = 0) -> dict[str, list[str]]:
    """Write one page per rarer real-world layout and return {variant: problems} from the parser.

    Each variant starts from a standard page and changes one thing that real
    notices on such sites do; an empty list means ingest reads it correctly.
    """
    from ingest.build import parse_sources
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed + 7919)
    results = {}
    for k, (variant, mutate) in enumerate(VARIANTS.items()):
        text, exp = gen.page(90000 + k)
        text, exp = mutate(text, exp)
        exp.variant = variant
        one = folder / variant
        one.mkdir(exist_ok=True)
        (one / exp.file).write_text(text, encoding="utf-8")
        try:
            with tempfile.TemporaryDirectory() as tmp:
                docs = parse_sources(settings_for(one, Path(tmp)))
            results[variant] = check_docs(docs, [exp])
        except Exception as exc:  # the parser refusing the page is a finding too
            results[variant] = [f"parse_sources raised {type(exc).__name__}: {exc}"]
    return results


def _replace_line(text: str, old: str, new_lines: list[str]) -> str:
    lines = text.split("\n")
    at = lines.index(old)
    return "\n".join(lines[:at] + new_lines + lines[at + 1:])


def _v_public_note(text, exp):
    # "(此件主动公开)" under the signature date: very common on government sites.
    return _replace_line(text, exp.signature_raw, [exp.signature_raw, "", "(此件主动公开)"]), exp


def _v_annex_list(text, exp):
    # "附件:..." lines between the last section and the signature.
    first_office = exp.issuers[0]
    return _replace_line(text, first_office, ["附件:1.职业技能证书互通互认对照表", "", "2.证书查询网站名录", "", first_office]), exp


def _v_wrapped_title(text, exp):
    # The title wrapped over two lines by the scraper.
    lines = text.split("\n")
    at = next(i for i, l in enumerate(lines) if l.replace(NBSP, " ").split() and
              " ".join(l.replace(NBSP, " ").split()) == exp.title)
    cut = lines[at].find("关于")
    lines[at:at + 1] = [lines[at][:cut], lines[at][cut:]]
    return "\n".join(lines), exp


def _v_padded_date(text, exp):
    # Zero-padded digits "20260109" instead of "202619".
    y, m, d = exp.published.split("-")
    if not exp.signature_raw.isdigit():
        return text, exp
    raw = f"{y}{m}{d}"
    text = _replace_line(text, exp.signature_raw, [raw])
    exp.signature_raw = raw
    return text, exp


def _v_issuer_with_seal(text, exp):
    # The signature office line carries "(盖章)" / a trailing space-separated second office.
    first = exp.issuers[0]
    return _replace_line(text, first, [first + "(盖章)"]), exp


def _v_item_heading_line(text, exp):
    # An item marker alone with its heading on one line, the rule in the next paragraph (no 。).
    lines = text.split("\n")
    at = next((i for i, l in enumerate(lines) if l.startswith("(一)") or l.startswith("（一）")), None)
    if at is None:
        return text, exp
    head, _, rest = lines[at].partition("。")
    lines[at:at + 1] = [head, "", rest]
    return "\n".join(lines), exp


def _v_no_addressee_colon(text, exp):
    # No addressee (a 公告-style page) and a preamble ending with ":".
    if not exp.addressee:
        return text, exp
    lines = text.split("\n")
    at = next(i for i, l in enumerate(lines) if l.rstrip(":：") == exp.addressee)
    del lines[at:at + 2]
    pre = lines[at]
    if not pre.endswith((":", "：")):
        lines[at] = pre[:-1] + ":" if pre.endswith("。") else pre
    exp.addressee = ""
    return "\n".join(lines), exp


VARIANTS = {
    "no_addressee_preamble_colon": _v_no_addressee_colon,
    "public_note_after_date": _v_public_note,
    "annex_list_before_signature": _v_annex_list,
    "title_wrapped_two_lines": _v_wrapped_title,
    "zero_padded_signature_digits": _v_padded_date,
    "issuer_with_seal_note": _v_issuer_with_seal,
    "item_heading_own_line": _v_item_heading_line,
}


def main(argv=None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="parse the pages with ingest and compare")
    p.add_argument("--probe", action="store_true", help="also try rarer layouts and report what the parser does")
    args = p.parse_args(argv)
    expected = generate(args.out, args.n, args.seed)
    (args.out.parent / f"{args.out.name}.expected.json").write_text(
        json.dumps([e.__dict__ for e in expected], ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {len(expected)} pages to {args.out}")
    rc = 0
    if args.check:
        problems = check(args.out, expected)
        print(f"parser check: {len(problems)} problems")
        for line in problems[:50]:
            print("  " + line)
        rc = 1 if problems else 0
    if args.probe:
        with tempfile.TemporaryDirectory() as tmp:
            for variant, problems in probe_variations(Path(tmp)).items():
                print(f"variant {variant}: {'ok' if not problems else '; '.join(problems)}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
