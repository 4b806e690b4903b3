"""Writes tests/data/pii_corpus.jsonl: labelled strings for the PII masker.

    .venv/bin/python tests/data/make_pii_corpus.py

Each line is {"text", "pii": [{"kind", "value"}]}. The labels come from how each string
is built here (a template and the values put into it), never from the masker. Numbers
are made valid on purpose: ID numbers get their real check digit, bank cards their Luhn
digit, phones use prefixes that exist; so a miss is the masker's fault, not the label's.
Look-alikes (document numbers, dates, 序号, 12333, article and certificate numbers, URLs)
carry "pii": [] and must come back unchanged.

Decision recorded here and in assistant/pii.py: a 特种作业操作证 number is "T" + the
holder's 身份证号, so "证书编号T<valid ID>" is labelled as an id; certificate numbers that
are not ID numbers (S000…, 16-digit 职业资格 numbers, a truncated "T3201...") are look-alikes.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("pii_corpus.jsonl")
rng = random.Random(2026)


def id_check(body17: str) -> str:
    checksum = (1 - 2 * int(body17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def make_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + id_check(body)


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def grouped(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(digits[i:i + n])
        i += n
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


CN_NUM = dict(zip("0123456789", "零一二三四五六七八九"))

rows: list[dict] = []


def add(text: str, *pii: tuple[str, str]) -> None:
    for kind, value in pii:
        assert value in text, (value, text)
    rows.append({"text": text, "pii": [{"kind": k, "value": v} for k, v in pii]})


# ----------------------------------------------------------------------------- phones
MOBILES = ["13800138000", "13912345678", "15012345678", "18612345678", "17798765432", "19912341234",
           "13588889999", "18800001111", "16612345678", "15298765432", "13012345678", "14712345678",
           "18923456789", "13711112222", "15600001234", "17355556666"]
PHONE_TEMPLATES = [
    "我的电话{v},低压电工证能换建筑电工证吗", "手机号{v},麻烦回个电话", "有问题打我手机{v}", "请回电{v}，谢谢",
    "电话：{v}（白天都在）", "联系方式 {v}", "我想咨询焊工证互认，电话是{v}", "打{v}找我就行",
    "{v}，这是我的号码，证书能直接换吗", "回电{v}", "坐席记录:来电号码{v},咨询高压电工证", "微信同号{v}",
]
SEP_FORMS = [
    lambda m: m,
    lambda m: grouped(m, [3, 4, 4], "-"),
    lambda m: grouped(m, [3, 4, 4], " "),
    lambda m: grouped(m, [3, 4, 4], "."),
    lambda m: grouped(m, [3, 4, 4], "—"),
    lambda m: grouped(m, [3, 4, 4], "–"),
    lambda m: " ".join(m),
    lambda m: "".join(CN_NUM[c] for c in m),
    lambda m: m.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    lambda m: "+86 " + grouped(m, [3, 4, 4], " "),
    lambda m: "+86-" + m,
    lambda m: "0086 " + m,
    lambda m: "(+86)" + m,
    lambda m: grouped(m, [3, 4, 4], " - "),
    lambda m: "".join(CN_NUM[c] for c in m).replace("零", "〇"),
    lambda m: grouped(m, [3, 3, 5], "-"),
]
for i, form in enumerate(SEP_FORMS):
    for j in range(3):
        m = MOBILES[(i * 3 + j) % len(MOBILES)]
        v = form(m)
        add(PHONE_TEMPLATES[(i + j * 5) % len(PHONE_TEMPLATES)].format(v=v), ("phone", v))

LANDLINES = ["010-62345678", "(010)62345678", "0510-86855000", "021 5888 1234", "0755-8888 6666",
             "020-87654321", "（０２１）６４３７０１２３", "028-85551234", "0571 8765 4321", "025-8468 1234",
             "010 6234 5678", "0731-84561234"]
LAND_TEMPLATES = ["单位座机{v},有事请找人事科", "座机{v}，上班时间打", "我们公司电话{v},能开证明吗",
                  "请回拨{v}", "办公室{v}转人事", "家里电话{v}"]
for i, v in enumerate(LANDLINES):
    add(LAND_TEMPLATES[i % len(LAND_TEMPLATES)].format(v=v), ("phone", v))

INTL = [("+852 9123 4567", "我在香港工作,电话{v}"), ("+852-6123-4567", "香港的同事{v}问能不能办"),
        ("00852 2345 6789", "香港办公室{v}"), ("+853 6612 3456", "澳门手机{v}"),
        ("+853 2888 1234", "澳门公司电话{v}"), ("+886 912 345 678", "台湾的号码{v},能认吗"),
        ("+886-2-2345-6789", "台北办事处{v}"), ("9123 4567", "香港手机 {v}"), ("6612 3456", "澳门电话:{v}"),
        ("0912-345-678", "台湾手机 {v}"), ("02-2345-6789", "台湾电话 {v}"), ("+852 5123 4567", "回电{v}(香港)")]
for v, t in INTL:
    add(t.format(v=v), ("phone", v))

# ----------------------------------------------------------------------------- names next to phones
NAME_PHONE = [
    ("张三", "13800138000", "{n}{p}"), ("李四", "13912345678", "联系人:{n} 电话:{p}"),
    ("王小明", "13900001111", "联系人王小明 电话{p}"), ("刘德华", "13912345678", "请联系{n}，手机：{p}"),
    ("赵敏", "15012345678", "{n} {p} 想问电工证"), ("陈静", "18612345678", "找{n},{p}"),
    ("欧阳娜娜", "17798765432", "{n} {p}"), ("黄志强", "19912341234", "{n}电话{p}"),
    ("孙丽", "13588889999", "{n}的手机号是{p}"), ("周杰", "18800001111", "{p}(周杰)"),
    ("吴刚", "138 0013 8000", "{n}:{p}"), ("郑爽", "138-1234-5678", "持证人{n},电话{p}"),
    ("司马南", "15600001234", "联系人：{n}，{p}"), ("林一", "一三八零零一三八零零零", "{n}{p}"),
    ("马超", "+86 139 1234 5678", "{n} {p}"),
]
for n, p, t in NAME_PHONE:
    add(t.format(n=n, p=p), ("name", n), ("phone", p))

NAME_ONLY = [("姓名：李华，问一下焊工证", "李华"), ("我叫张三想问低压电工证", "张三"), ("我叫王小明,想问证书互认", "王小明"),
             ("持证人刘洋，证书丢了", "刘洋"), ("申请人：赵子龙", "赵子龙"), ("本人王五，请问高压电工怎么办", "王五"),
             ("联系人欧阳锋", "欧阳锋"), ("收件人：何佳", "何佳"), ("名字叫许晴,能查证书吗", "许晴"),
             ("我叫谢霆锋", "谢霆锋")]
for t, n in NAME_ONLY:
    add(t, ("name", n))

# ----------------------------------------------------------------------------- ID numbers
IDS = [make_id("110101", "19900307", "123"), make_id("310104", "19851111", "042"),
       make_id("440305", "19921231", "018"), make_id("320102", "19750102", "561"),   # county code newer than birth
       make_id("510104", "20000229", "777"), make_id("420111", "19880808", "099"),
       make_id("330106", "19791010", "135"), make_id("370102", "19950615", "246"),
       make_id("610113", "19830520", "357"), make_id("120101", "19690101", "468"),
       make_id("500103", "19990909", "024"), make_id("350102", "19870707", "531")]
X_IDS = []
for seq in range(100, 1000):
    cand = make_id("110105", "19910412", str(seq))
    if cand.endswith("X"):
        X_IDS.append(cand)
    if len(X_IDS) == 3:
        break
ID_TEMPLATES = ["身份证号{v},帮我查一下证书", "我的身份证{v}", "证件号码：{v}", "{v}这个身份证能查到我的证吗",
                "身份证号码是{v}，低压电工证什么时候到期", "ID {v}", "用{v}查不到证书", "坐席备注:来电人身份证{v}"]
for i, v in enumerate(IDS):
    add(ID_TEMPLATES[i % len(ID_TEMPLATES)].format(v=v), ("id", v))
for i, v in enumerate(X_IDS):
    add(ID_TEMPLATES[(i + 3) % len(ID_TEMPLATES)].format(v=v), ("id", v))
add("身份证{v}".format(v=X_IDS[0].lower()), ("id", X_IDS[0].lower()))
for v in [grouped(IDS[0], [6, 8, 4], " "), grouped(IDS[1], [4, 4, 4, 4, 2], " "), grouped(IDS[2], [6, 4, 4, 4], "-"),
          " ".join(IDS[3]), grouped(X_IDS[1], [6, 8, 4], " ")]:
    add("身份证号 {v} 能查吗".format(v=v), ("id", v))
add("身份证110101199003071234,能免培训吗", ("id", "110101199003071234"))          # wrong check digit, after 身份证
add("身份证号码：32010219750102561" + ("0" if IDS[3][-1] != "0" else "1"),
    ("id", "32010219750102561" + ("0" if IDS[3][-1] != "0" else "1")))
add("老身份证110101900307123还能用吗", ("id", "110101900307123"))
add("十五位的老证号身份证320102750102561", ("id", "320102750102561"))
add("特种作业操作证编号T{v},复审在哪办".format(v=IDS[4]), ("id", IDS[4]))      # T + ID number: masked
add("证书编号T{v}能直接换建筑电工证吗".format(v=IDS[5]), ("id", IDS[5]))

# ----------------------------------------------------------------------------- bank cards
CARDS = [luhn_complete("622202", 19), luhn_complete("621700", 19), luhn_complete("622848", 19),
         luhn_complete("625911", 16), luhn_complete("436742", 16), luhn_complete("522151", 16),
         luhn_complete("622588", 16), luhn_complete("621483", 16), luhn_complete("955880", 19),
         luhn_complete("356833", 16)]
BANK_TEMPLATES = ["补贴打到卡号{v}吗", "银行卡{v},补贴发了没", "我的工资卡{v}", "{v}这张卡能领技能补贴吗",
                  "账号：{v}", "社保卡号{v}"]
for i, v in enumerate(CARDS):
    add(BANK_TEMPLATES[i % len(BANK_TEMPLATES)].format(v=v), ("bank", v))
for v in [grouped(CARDS[0], [4, 4, 4, 4, 3], " "), grouped(CARDS[3], [4, 4, 4, 4], " "),
          grouped(CARDS[4], [4, 4, 4, 4], "-"), grouped(CARDS[1], [6, 13], " ")]:
    add("卡号 {v}".format(v=v), ("bank", v))
add("银行卡号6222021234567890121(可能抄错了一位)", ("bank", "6222021234567890121"))   # wrong Luhn, after 卡号

# ----------------------------------------------------------------------------- e-mail
EMAILS = ["zhangsan@163.com", "li.si_2020@qq.com", "wangxm@mail.example.cn", "13800138000@163.com",
          "chen-jing@sina.com.cn", "hr.dept@company.com.cn", "zhao+cert@gmail.com", "sun_li88@126.com",
          "a@b.cn", "Liu.Yang@Outlook.com", "xiaoming@yeah.net", "worker2026@foxmail.com"]
EMAIL_TEMPLATES = ["邮箱{v}谢谢", "结果发我邮箱{v}", "请发到 {v} ,谢谢", "我的邮箱是{v}", "E-mail: {v}",
                   "材料寄不到的话发{v}"]
for i, v in enumerate(EMAILS):
    add(EMAIL_TEMPLATES[i % len(EMAIL_TEMPLATES)].format(v=v), ("email", v))

# ----------------------------------------------------------------------------- addresses
ADDRESSES = [
    ("我住在北京市朝阳区建国路88号3单元502室,想问", "北京市朝阳区建国路88号3单元502室"),
    ("地址:上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
    ("证书寄到广东省深圳市南山区科技园路3号5栋201可以吗", "广东省深圳市南山区科技园路3号5栋201"),
    ("家在江苏省无锡市梁溪区人民中路128号", "江苏省无锡市梁溪区人民中路128号"),
    ("寄到杭州市西湖区文三路90号", "杭州市西湖区文三路90号"),
    ("我在成都市武侯区人民南路四段12号上班", "成都市武侯区人民南路四段12号"),
    ("朝阳区建国路88号那个考点", "朝阳区建国路88号"),
    ("住人民路3号", "人民路3号"),
    ("住阳光花园5栋2单元301", "阳光花园5栋2单元301"),
    ("幸福小区3号楼2单元501室,邮寄证书", "幸福小区3号楼2单元501室"),
    ("天津市和平区南京路219号", "天津市和平区南京路219号"),
    ("武汉市洪山区珞喻路1037号", "武汉市洪山区珞喻路1037号"),
    ("西安市雁塔区长安南路88号", "西安市雁塔区长安南路88号"),
    ("南京市鼓楼区中山北路30号2栋", "南京市鼓楼区中山北路30号2栋"),
    ("收件地址：重庆市渝中区民族路166号", "重庆市渝中区民族路166号"),
    ("我家是东城区东直门南大街5号", "东城区东直门南大街5号"),
    ("寄到上海市徐汇区漕溪北路88号1201室", "上海市徐汇区漕溪北路88号1201室"),
    ("地址 广州市天河区天河路385号", "广州市天河区天河路385号"),
    ("在长沙市岳麓区麓山南路932号", "长沙市岳麓区麓山南路932号"),
    ("苏州市工业园区星湖街328号", "苏州市工业园区星湖街328号"),
    ("福州市鼓楼区五四路158号", "福州市鼓楼区五四路158号"),
    ("送到青年路8号院3号楼", "青年路8号院3号楼"),
    ("北京市海淀区中关村大街27号", "北京市海淀区中关村大街27号"),
    ("住在金色家园12栋1单元1102", "金色家园12栋1单元1102"),
    ("我家在济南市历下区泉城路180号", "济南市历下区泉城路180号"),
]
for t, v in ADDRESSES:
    add(t, ("address", v))

# ----------------------------------------------------------------------------- mixed
add("我叫李华,电话13812345678,身份证{i},住北京市朝阳区建国路88号".format(i=IDS[6]),
    ("name", "李华"), ("phone", "13812345678"), ("id", IDS[6]), ("address", "北京市朝阳区建国路88号"))
add("联系人王小明 电话138 0013 8000,邮箱wangxm@163.com".format(), ("name", "王小明"), ("phone", "138 0013 8000"),
    ("email", "wangxm@163.com"))
add("身份证{i}，卡号{c}，补贴到了吗".format(i=IDS[7], c=CARDS[2]), ("id", IDS[7]), ("bank", CARDS[2]))
add("人社厅发〔2026〕1号说可以换,我电话13800138000", ("phone", "13800138000"))
add("2026-01-09发的通知,回电0510-86855000", ("phone", "0510-86855000"))
add("序号1—3里有我的证吗?手机139.1234.5678", ("phone", "139.1234.5678"))
add("打了12333没人接,请打我电话18612345678", ("phone", "18612345678"))
add("第一条第(一)项我看不懂,+852 9123 4567是我香港电话", ("phone", "+852 9123 4567"))
add("张三13800138000,身份证{i}".format(i=IDS[8]), ("name", "张三"), ("phone", "13800138000"), ("id", IDS[8]))
add("证书编号S000032000001234,我身份证{i}".format(i=IDS[9]), ("id", IDS[9]))

# ----------------------------------------------------------------------------- look-alikes (must stay unmasked)
LOOKALIKES = [
    "人社厅发〔2026〕1号第一条说的是什么", "人社厅发〔2026〕1号", "文号人社厅发〔2026〕1号和人社部发〔2019〕24号",
    "2026-01-09发布的通知", "2026年1月9日以后还能换证吗", "202619这个日期是发文日期吗", "发文日期20260109",
    "2026.01.09之前考的证算吗", "2026/1/9", "二〇二六年一月九日", "附件序号1—3是什么意思", "序号13是哪几个证",
    "序号4—7", "第二条第(一)项说序号1—7", "12333能查吗", "打12333问过了", "热线：12333", "请拨打12333咨询",
    "第一条第(一)项", "第二条第(一)项", "第三条怎么理解", "第一条第（二）项参见附件中序号47", "附件2",
    "证书编号T3201...是不是要换", "证书编号S000032000001234", "证书编号1331000000300123能查到吗",
    "我的证号3201001234567890", "职业资格证书编号：0900000000123456", "准考证号20260109001",
    "http://osta.mohrss.gov.cn/", "查询网址http://osta.mohrss.gov.cn/ 上能查吗",
    "https://www.mohrss.gov.cn/SYrlzyhshbzb/zcfg/202601/t20260109_123456.html",
    "考试费1380元", "补贴1500元能领吗", "2019年拿的证", "邮编100020", "学时72学时够吗", "工号A123456",
    "高压电工证有效期6年", "共7条", "第47项", "下午2:30考试", "10086客服说不知道", "95588",
    "国务院令第653号", "安监总局令第30号", "特种作业人员安全技术培训考核管理规定第30号令",
    "在人民路考试", "北京市朝阳区人社局", "考场在3号楼", "张经理说的", "王师傅让我问",
    "我是电工,低压电工证能换建筑电工证吗", "高压电工证", "安全员证和电工证", "李女士你好",
    "版本1.3.8", "版本号 2.1.9", "1—3年", "13800", "138001380001", "1380013800", "23812345678", "12812345678",
    "1234567890", "第1、2、3条", "2026-01-09 10:30:00", "T11010119900307123", "编号1101011990030712",
    "序号 1 3", "价格138,001,380元", "5年内", "两年前拿的证", "三级/高级工", "400多人考过",
    "打了好几次12333和0510的号都没人接", "今年3月8号考的", "1月9号发的文",
]
for t in LOOKALIKES:
    add(t)

# ----------------------------------------------------------------------------- the issue's own examples
for v in ["138.0013.8000", "138—0013—8000", "138 0013 8000", "1 3 8 0 0 1 3 8 0 0 0", "一三八零零一三八零零零",
          "+852 9123 4567", "13800138000"]:
    add("我的电话是{v},证书能换吗".format(v=v), ("phone", v))

# ----------------------------------------------------------------------------- second batch
# Written after the masker passed the strings above, and run once before any change to it
# (its first-run misses are in the commit that added this batch).
SECOND_ID = make_id("130102", "19821224", "336")
SECOND_CARD = luhn_complete("621700", 19)
SECOND_CARD2 = luhn_complete("622202", 19)
add("电话:138 0013 8000转2", ("phone", "138 0013 8000"))
add("我的号是一八六一二三四五六七八", ("phone", "一八六一二三四五六七八"))
add("幺三九幺二三四五六七八,打这个", ("phone", "幺三九幺二三四五六七八"))
add("电话 1 5 0 1 2 3 4 5 6 7 8", ("phone", "1 5 0 1 2 3 4 5 6 7 8"))
add("0086-755-88886666是我们单位", ("phone", "0086-755-88886666"))
add("香港 +852 2345 6789", ("phone", "+852 2345 6789"))
add("TEL:13800138000", ("phone", "13800138000"))
add("Tel13800138000", ("phone", "13800138000"))
add("手机13800138000/13912345678", ("phone", "13800138000"), ("phone", "13912345678"))
add("电话13800138000、18612345678都行", ("phone", "13800138000"), ("phone", "18612345678"))
add("座机0510—86855000", ("phone", "0510—86855000"))
add("(0510) 8685 5000找王科长", ("phone", "(0510) 8685 5000"))
add("打13800138000或者0510-86855000都行", ("phone", "13800138000"), ("phone", "0510-86855000"))
add("号码是13800138000。", ("phone", "13800138000"))
add("身份证:{v}".format(v=grouped(SECOND_ID, [6, 4, 4, 4], " ")), ("id", grouped(SECOND_ID, [6, 4, 4, 4], " ")))
add("ID:{v}".format(v=X_IDS[2].lower()), ("id", X_IDS[2].lower()))
add("证件号码 {v}".format(v=grouped(SECOND_ID, [6, 8, 4], "-")), ("id", grouped(SECOND_ID, [6, 8, 4], "-")))
add("卡号:{v}".format(v=grouped(SECOND_CARD, [4, 4, 4, 4, 3], "-")), ("bank", grouped(SECOND_CARD, [4, 4, 4, 4, 3], "-")))
add("建行卡{v}".format(v=grouped(SECOND_CARD2, [4, 4, 4, 4, 3], " ")), ("bank", grouped(SECOND_CARD2, [4, 4, 4, 4, 3], " ")))
add("邮箱：ZHANG.SAN@QQ.COM", ("email", "ZHANG.SAN@QQ.COM"))
add("zhang_san@qq.com。", ("email", "zhang_san@qq.com"))
add("邮箱 wang.xiaoming@company.com.cn，谢谢", ("email", "wang.xiaoming@company.com.cn"))
add("家住河北省石家庄市长安区中山东路39号", ("address", "河北省石家庄市长安区中山东路39号"))
add("地址是深圳市宝安区西乡街道宝源路1065号", ("address", "深圳市宝安区西乡街道宝源路1065号"))
add("寄到昆明市五华区东风西路123号4栋2单元602", ("address", "昆明市五华区东风西路123号4栋2单元602"))
add("住址：西城区金融大街15号鑫茂大厦", ("address", "西城区金融大街15号"))
add("我在杭州滨江区江南大道3880号上班", ("address", "杭州滨江区江南大道3880号"))
add("我叫诸葛亮，电话13800138000", ("name", "诸葛亮"), ("phone", "13800138000"))
add("联系人：李娜 13912345678", ("name", "李娜"), ("phone", "13912345678"))
add("张伟的电话13800138000", ("name", "张伟"), ("phone", "13800138000"))
add("麻烦让刘师傅回电13800138000", ("phone", "13800138000"))
add("姓名 王芳 手机 18612345678", ("name", "王芳"), ("phone", "18612345678"))
for t in ["138****8000是我之前留的", "身份证号后四位1233", "证书编号：3201002026000123", "2026年01月09日",
          "20260109-001", "序号1-3、4-7", "第一条第(一)项和第(二)项", "人社部发〔2019〕24号", "电话12333转0",
          "订单号1380013800012345", "上海市徐汇区人社局", "在3号考场", "他说是第88号文件", "今年考了3次",
          "1990年3月7日出生的能办吗"]:
    add(t)

OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
kinds: dict[str, int] = {}
for r in rows:
    for p in r["pii"]:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
print(f"{len(rows)} strings, {sum(not r['pii'] for r in rows)} look-alikes; labelled values per kind: {kinds}")
